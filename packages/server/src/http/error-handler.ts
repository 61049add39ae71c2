import type { ErrorRequestHandler, Response } from 'express';
import { z } from 'zod';
import { type ApiErrorBody, CheckoutError } from '@payment-checkout/core';
import { GatewayError } from '../gateways/gateway.ts';
import type { Logger } from '../logger.ts';

export interface ErrorResponse {
  status: number;
  body: ApiErrorBody;
}

/** zod issues as the API shows them: where, what, and the zod code. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): { path: string; message: string; code: string }[] {
  return issues.map((i) => ({
    path: i.path.map(String).join('.'),
    message: i.code === 'unrecognized_keys' ? `unknown field(s): ${i.keys.join(', ')}` : i.message,
    code: i.code,
  }));
}

/**
 * The one mapping from errors to HTTP answers: CheckoutError keeps its status and code; invalid input is a
 * 400 with the zod issues; a malformed body is `invalid_json`; gateway trouble is a 502; anything else is
 * logged and shown as a generic 500.
 */
export function toErrorResponse(err: unknown, logger: Logger): ErrorResponse {
  const reply = (status: number, code: string, message: string, issues?: unknown[]): ErrorResponse => ({
    status,
    body: { error: { code, message, ...(issues ? { issues } : {}) } },
  });
  if (err instanceof CheckoutError) {
    if (err.status >= 500) logger.error(`${err.code}: ${err.message}`);
    const issues = Array.isArray(err.details) ? (err.details as z.core.$ZodIssue[]) : undefined;
    return reply(err.status, err.code, err.message, issues && describeIssues(issues));
  }
  // $ZodError: core's schemas are zod/mini, whose parse throws the core error class, not classic's ZodError.
  if (err instanceof z.core.$ZodError) return reply(400, 'bad_request', 'The request is not valid.', describeIssues(err.issues));
  if (err instanceof GatewayError) {
    logger.warn('gateway error', { gateway: err.gateway, code: err.code, error: err });
    return reply(502, 'gateway_error', 'The payment provider did not answer as expected. Please try again.');
  }
  const parser = err as { type?: string; status?: number; expose?: boolean };
  if (parser?.type === 'entity.parse.failed') return reply(400, 'invalid_json', 'The request body is not valid JSON.');
  if (parser?.type === 'entity.too.large') return reply(413, 'bad_request', 'The request body is too large.');
  // Express's own 4xx errors (a path parameter that is not valid percent-encoding is a URIError with status 400
  // and no `expose`): the client's fault, answered generically.
  if (typeof parser?.status === 'number' && parser.status >= 400 && parser.status < 500) {
    return reply(parser.status, 'bad_request', 'The request could not be read.');
  }
  logger.error('unexpected error', { error: err, stack: err instanceof Error ? err.stack : undefined });
  return reply(500, 'internal_error', 'Something went wrong on our side. Please try again.');
}

const BROWSER_PATHS = ['/checkout/return/', '/checkout/kpayment/token/', '/checkout/kpayment/qr/', '/checkout/kpayment/callback', '/checkout/kpayment/registrations/'];

export function checkoutErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const { status, body } = toErrorResponse(err, logger);
    // Return URLs and gateway form posts are opened by shoppers' browsers: they get a page, API clients get JSON.
    if (BROWSER_PATHS.some((p) => req.path.startsWith(p)) && req.accepts(['json', 'html']) === 'html') {
      sendErrorPage(res, status, body.error.message);
      return;
    }
    res.status(status).set('cache-control', 'no-store').json(body);
  };
}

export function sendErrorPage(res: Response, status: number, message: string): void {
  const text = escapeHtml(message);
  res
    .status(status)
    .set('cache-control', 'no-store')
    .type('html')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
        `<title>Payment</title></head><body><main><h1>Payment</h1><p role="alert">${text}</p></main></body></html>`,
    );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
