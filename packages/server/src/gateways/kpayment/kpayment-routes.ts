import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import { CheckoutError, Locale, OrderId } from '@payment-checkout/core';
import type { Logger } from '../../common/logger.ts';
import { rawWebhookBody } from '../definition.ts';
import type { PaymentInbox } from '../module.ts';
import type { KpaymentRegistrations } from './kpayment-registrations.ts';

/** The paths of K-Payment's browser routes (form posts, callbacks): errors there are answered as a page. */
export const KPAYMENT_BROWSER_PATHS = ['/checkout/kpayment/token/', '/checkout/kpayment/qr/', '/checkout/kpayment/callback', '/checkout/kpayment/registrations/'];
/** Where K-Payment's 3-D Secure (and Alipay / UnionPay) callback and its notify come to. */
export const KPAYMENT_CALLBACK_PATH = '/checkout/kpayment/callback';
export const KPAYMENT_NOTIFY_PATH = '/webhooks/kpayment';
const StartRegistration = z.strictObject({ orderId: OrderId });
const ChargeId = z.string().trim().regex(/^chrg_[A-Za-z0-9_]{1,100}$/, 'must be a K-Payment charge id (chrg_…)');

/**
 * K-Payment's browser-facing routes: the token form's action, the QR completion, the 3-D Secure / Alipay /
 * UnionPay callback, card registrations, and the notify webhook. Thin: parse, call the service, redirect.
 */
export function kpaymentRoutes(inbox: PaymentInbox, registrations: KpaymentRegistrations, logger: Logger): Router {
  const router = express.Router();
  // A browser form post (kpayment.min.js, the bank's callback page): never JSON, never with cookies we rely on.
  const form = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 64 });
  const json = express.json({ limit: '4kb', strict: true });

  router.post('/checkout/kpayment/token/:id', form, async (req, res) => {
    const location = await inbox.submitChargeForm(String(req.params.id), req.query.token, formFields(req));
    res.redirect(303, location);
  });

  // QR completion (§4.3 step 11): the script posts `chargeId` (any case) once the QR is paid; an inquiry decides.
  router.post('/checkout/kpayment/qr/:id', form, async (req, res) => {
    const fields = lowerCaseKeys(formFields(req));
    const chargeId = ChargeId.safeParse(fields.chargeid);
    if (!chargeId.success) throw new CheckoutError('bad_request', 'The QR completion needs chargeId, a K-Payment charge id.', chargeId.error.issues);
    const location = await inbox.completeCharge(String(req.params.id), req.query.token, chargeId.data);
    // Posted into the element's hidden frame (decisions.md C27): the checkout page stays and shows the result itself.
    if (req.get('sec-fetch-dest') === 'iframe') res.status(204).end();
    else res.redirect(303, location);
  });

  // The 3-D Secure callback (decisions.md 2): a cross-site form POST (GET accepted too, §10.25); names in any case.
  const callback = async (req: Request, res: express.Response) => {
    const fields = lowerCaseKeys(req.method === 'GET' ? req.query : formFields(req));
    const objectId = ChargeId.safeParse(fields.objectid);
    if (!objectId.success) throw new CheckoutError('bad_request', 'The callback needs objectId, a K-Payment charge id.', objectId.error.issues);
    const detail = { status: text(fields.status), saveCard: text(fields.savecard) };
    const location =
      (await inbox.completeCallback('kpayment', objectId.data, detail)) ?? (await registrations.completeCallback(objectId.data));
    if (!location) throw new CheckoutError('not_found', 'No payment has this charge.');
    res.redirect(303, location);
  };
  router.post(KPAYMENT_CALLBACK_PATH, form, callback);
  router.get(KPAYMENT_CALLBACK_PATH, callback);

  router.post('/checkout/kpayment/registrations', json, async (req, res) => {
    if (!req.is('application/json')) throw new CheckoutError('bad_request', 'Send a JSON body (Content-Type: application/json).');
    const body = StartRegistration.parse(req.body);
    res.status(201).json(await registrations.start(body.orderId));
  });
  router.get('/checkout/kpayment/registrations/:id', async (req, res) => {
    const locale = typeof req.query.locale === 'string' ? Locale.parse(req.query.locale) : undefined;
    res.json(await registrations.view(String(req.params.id), locale));
  });
  router.post('/checkout/kpayment/registrations/:id/token', form, async (req, res) => {
    res.redirect(303, await registrations.submitToken(String(req.params.id), req.query.token, formFields(req)));
  });

  // The checksum is over fields, not bytes, but the body is read raw so a host's express.json() cannot have eaten it.
  router.post(KPAYMENT_NOTIFY_PATH, ...rawWebhookBody('K-Payment notify', '64kb', logger), async (req, res) => {
    const registration = async (chargeId: string) => ((await registrations.handleNotify(chargeId)) ? { received: true as const } : null);
    res.json(await inbox.handleWebhook('kpayment', { rawBody: req.body as Buffer, headers: req.headers }, registration));
  });

  return router;
}

function formFields(req: Request): Record<string, string> {
  if (!req.is('application/x-www-form-urlencoded')) throw new CheckoutError('bad_request', 'Send the form as application/x-www-form-urlencoded.');
  const body: unknown = req.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new CheckoutError('bad_request', 'The form could not be read.');
  return body as Record<string, string>;
}

function lowerCaseKeys(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    const name = key.toLowerCase();
    if (name in out) throw new CheckoutError('bad_request', `The field ${key} is given twice.`);
    out[name] = value;
  }
  return out;
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value.slice(0, 32) : null;
}
