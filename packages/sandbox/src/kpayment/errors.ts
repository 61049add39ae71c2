import type { ErrorRequestHandler, Response } from 'express';
import { ERROR_MESSAGES, ERROR_STATUS, type KpaymentErrorCode } from './data.ts';

/** A K-Payment API error, rendered as the guide's only error sample: `{object:"error", code, message}` (L2136–2141). */
export class KpaymentApiError extends Error {
  override readonly name = 'KpaymentApiError';
  readonly status: number;
  constructor(
    readonly code: KpaymentErrorCode,
    message?: string,
  ) {
    super(message ?? ERROR_MESSAGES[code] ?? code);
    this.status = ERROR_STATUS[code];
  }
}

export function kpaymentErrorBody(code: string, message: string) {
  return { object: 'error' as const, code, message };
}

/** The code of an injected status (a sandbox fault): the guide has one server error code, `internal_error`. */
export function errorCodeForStatus(status: number): KpaymentErrorCode {
  if (status >= 500) return 'internal_error';
  if (status === 401) return 'authentication_failure';
  if (status === 403) return 'internal_permission_denied';
  if (status === 404) return 'not_found';
  return 'invalid_parameter';
}

/** `mandatory_is_empty`, naming the field. */
export const mandatory = (field: string) => new KpaymentApiError('mandatory_is_empty', `Mandatory parameter is missing: ${field}`);

export function sendKpaymentError(res: Response, error: KpaymentApiError): void {
  res.status(error.status).json(kpaymentErrorBody(error.code, error.message));
}

/** Known errors as they are, unreadable bodies as `invalid_parameter`, anything else a logged 500. */
export const kpaymentErrorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  if (err instanceof KpaymentApiError) return sendKpaymentError(res, err);
  const type = (err as { type?: string }).type;
  if (type === 'entity.parse.failed') return sendKpaymentError(res, new KpaymentApiError('invalid_parameter', 'request body is not valid JSON'));
  if (typeof type === 'string' && (type.startsWith('entity.') || type.endsWith('.unsupported'))) {
    return sendKpaymentError(res, new KpaymentApiError('invalid_parameter', `request body could not be read (${type})`));
  }
  console.error('[sandbox] unexpected K-Payment error', err);
  sendKpaymentError(res, new KpaymentApiError('internal_error', 'internal server error'));
};
