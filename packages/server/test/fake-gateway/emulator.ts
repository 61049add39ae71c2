import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type Express, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { type FakePayCharge, FakePayFailureCode, FakePayMethod, SIGNATURE_HEADER, signFakePayWebhook } from './fakepay-wire.ts';

/**
 * FakePay, a gateway that exists only in tests: a small stateful emulator on loopback. What it does not
 * emulate: expiry, refunds, retries of failed webhooks, more than one merchant. See README.md.
 */

export interface FakePayEmulatorOptions {
  /** The one merchant's secret key (default: a random one). */
  secretKey?: string;
  /** Charges it keeps before refusing new ones (429), so that a runaway test cannot grow it without end. */
  maxCharges?: number;
  webhookTimeoutMs?: number;
}

/** One webhook POST, as the emulator made it. */
export interface WebhookDelivery {
  eventId: string;
  url: string;
  /** The answer's HTTP status, or null when none came (refused, timed out, emulator closed). */
  status: number | null;
}

export interface FakePayEmulator {
  url: string;
  secretKey: string;
  /** The secret webhooks are signed with (answered by `POST /_fake/webhooks`). */
  webhookSecret: string;
  deliveries: WebhookDelivery[];
  /** The API calls received (`GET /charges/fchg_…`), newest last: proof of what the companion asked. */
  requests: string[];
  /** Resolves once every webhook in flight was answered (or gave up). */
  flushWebhooks(): Promise<void>;
  close(): Promise<void>;
}

const LOG_LIMIT = 1_000;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

const CreateCharge = z.strictObject({
  amount: z.number().int().positive().max(10_000_000_000),
  currency: z.literal('THB'),
  method: FakePayMethod,
  return_uri: z.url({ protocol: /^https?$/ }),
  reference: z.string().min(1).max(64),
});
const Completion = z.strictObject({ result: z.enum(['paid', 'declined']), failure_code: FakePayFailureCode.optional() });
const Registration = z.strictObject({ url: z.url({ protocol: /^https?$/ }) });

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startFakePayEmulator(options: FakePayEmulatorOptions = {}): Promise<FakePayEmulator> {
  const secretKey = options.secretKey ?? `fsk_test_${randomBytes(12).toString('hex')}`;
  const webhookSecret = `fwhsec_${randomBytes(24).toString('hex')}`;
  const maxCharges = options.maxCharges ?? 1_000;
  const charges = new Map<string, FakePayCharge>();
  const deliveries: WebhookDelivery[] = [];
  const requests: string[] = [];
  const inflight = new Set<Promise<void>>();
  const closing = new AbortController();
  let webhookUrl: string | null = null;
  let baseUrl = '';

  const keep = <T>(log: T[], entry: T) => {
    log.push(entry);
    if (log.length > LOG_LIMIT) log.shift();
  };
  const chargeOf = (id: string): FakePayCharge => {
    const charge = charges.get(id);
    if (!charge) throw new ApiError(404, 'not_found', `charge ${id} was not found`);
    return charge;
  };
  const parse = <S extends z.ZodType>(schema: S, body: unknown): z.output<S> => {
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new ApiError(400, 'invalid_request', parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    return parsed.data;
  };

  function deliver(type: string, charge: FakePayCharge): void {
    if (!webhookUrl || closing.signal.aborted) return;
    const eventId = `fevt_${randomBytes(12).toString('hex')}`;
    const body = Buffer.from(JSON.stringify({ object: 'event', id: eventId, type, created_at: new Date().toISOString(), data: charge }));
    const delivery: WebhookDelivery = { eventId, url: webhookUrl, status: null };
    keep(deliveries, delivery);
    const signal = AbortSignal.any([closing.signal, AbortSignal.timeout(options.webhookTimeoutMs ?? 5_000)]);
    const run = fetch(delivery.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signFakePayWebhook(body, webhookSecret) },
      body,
      signal,
      redirect: 'manual',
    })
      .then(async (res) => {
        delivery.status = res.status;
        await res.arrayBuffer();
      })
      .catch(() => undefined)
      .finally(() => inflight.delete(run));
    inflight.add(run);
  }

  /** The payer's decision (authorize page or test control): only a pending charge takes one. */
  function complete(charge: FakePayCharge, result: 'paid' | 'declined', failureCode?: z.infer<typeof FakePayFailureCode>): FakePayCharge {
    if (charge.status !== 'pending') throw new ApiError(409, 'not_pending', `charge ${charge.id} is ${charge.status}`);
    charge.status = result;
    charge.failure_code = result === 'declined' ? (failureCode ?? 'payment_rejected') : null;
    deliver('charge.complete', charge);
    return charge;
  }

  const authenticate: RequestHandler = (req, _res, next) => {
    const given = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '')?.[1] ?? '';
    const digest = (s: string) => createHash('sha256').update(s).digest();
    if (!timingSafeEqual(digest(given), digest(secretKey))) return next(new ApiError(401, 'authentication_failure', 'the secret key is missing or wrong'));
    keep(requests, `${req.method} ${req.originalUrl}`);
    next();
  };

  const app: Express = express();
  app.disable('x-powered-by');
  const json = express.json({ limit: '8kb', strict: true });
  app.use(['/charges', '/_fake'], authenticate, json);

  app.post('/charges', (req, res) => {
    const params = parse(CreateCharge, req.body);
    if (charges.size >= maxCharges) throw new ApiError(429, 'too_many_charges', `the emulator keeps at most ${maxCharges} charges`);
    const id = `fchg_${randomBytes(12).toString('hex')}`;
    const charge: FakePayCharge = {
      object: 'charge',
      id,
      status: 'pending',
      authorize_url: `${baseUrl}/pay/${id}`,
      ...params,
      failure_code: null,
      created_at: new Date().toISOString(),
    };
    charges.set(id, charge);
    res.status(201).json(charge);
  });
  app.get('/charges/:id', (req, res) => void res.json(chargeOf(req.params.id)));
  app.post('/charges/:id/cancel', (req, res) => {
    const charge = chargeOf(req.params.id);
    if (charge.status !== 'pending') throw new ApiError(409, 'not_pending', `charge ${charge.id} is ${charge.status}`);
    charge.status = 'canceled';
    deliver('charge.cancel', charge);
    res.json(charge);
  });

  // The authorize page: what the shopper sees at FakePay. No key: the unguessable charge id is the capability.
  app.get('/pay/:id', (req, res) => {
    const charge = charges.get(req.params.id);
    if (!charge) return void page(res, 404, 'No such payment.');
    if (charge.status !== 'pending') return void page(res, 409, `This payment is ${charge.status}.`);
    const button = (result: string, label: string) => `<button name="result" value="${result}">${label}</button>`;
    page(res, 200, `Pay ${(charge.amount / 100).toFixed(2)} ${charge.currency} with ${charge.method}?`, `<form method="POST">${button('paid', 'Pay')}${button('declined', 'Decline')}</form>`);
  });
  app.post('/pay/:id', express.urlencoded({ limit: '1kb', extended: false }), (req, res) => {
    const charge = charges.get(req.params.id);
    if (!charge) return void page(res, 404, 'No such payment.');
    const decision = Completion.safeParse({ result: req.body?.result, ...(req.body?.failure_code ? { failure_code: req.body.failure_code } : {}) });
    if (!decision.success) return void page(res, 400, 'Choose to pay or to decline.');
    if (charge.status !== 'pending') return void page(res, 409, `This payment is ${charge.status}.`);
    complete(charge, decision.data.result, decision.data.failure_code);
    res.redirect(302, charge.return_uri);
  });

  // Test controls: the payer's decision without a browser, and where webhooks go.
  app.post('/_fake/charges/:id/complete', (req, res) => {
    const { result, failure_code } = parse(Completion, req.body);
    res.json(complete(chargeOf(req.params.id), result, failure_code));
  });
  app.post('/_fake/webhooks', (req, res) => {
    const { url } = parse(Registration, req.body);
    // Loopback only: a test emulator must never be made to POST to the outside world.
    if (!LOOPBACK.has(new URL(url).hostname)) throw new ApiError(400, 'invalid_request', 'url: webhooks go to loopback addresses only');
    webhookUrl = url;
    res.json({ object: 'webhook_endpoint', url, secret: webhookSecret });
  });

  app.use((req, _res, next) => next(new ApiError(404, 'unknown_route', `FakePay has no route ${req.method} ${req.path}`)));
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    const parserStatus = (err as { status?: number }).status;
    const known = err instanceof ApiError ? err : parserStatus && parserStatus < 500 ? new ApiError(400, 'invalid_request', 'the body could not be read') : null;
    const reply = known ?? new ApiError(500, 'internal_error', 'FakePay failed');
    res.status(reply.status).json({ object: 'error', code: reply.code, message: reply.message });
  };
  app.use(onError);

  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const flushWebhooks = async () => {
    while (inflight.size > 0) await Promise.allSettled([...inflight]);
  };
  return {
    url: baseUrl,
    secretKey,
    webhookSecret,
    deliveries,
    requests,
    flushWebhooks,
    async close() {
      closing.abort();
      await flushWebhooks();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** A page of the emulator; `text` and `form` are built from validated values only. */
function page(res: Response, status: number, text: string, form = ''): void {
  res.status(status).type('html').send(`<!doctype html><title>FakePay</title><p>${text}</p>${form}`);
}
