import type { ErrorRequestHandler, Response } from 'express';
import { ERROR_DOCS_URL, ERROR_STATUS, type OpnErrorCode } from './data.ts';

/** An Opn API error: rendered as `{object:"error", location, code, message}` with the code's HTTP status. */
export class OpnApiError extends Error {
  override readonly name = 'OpnApiError';
  readonly status: number;
  constructor(
    readonly code: OpnErrorCode,
    message: string,
    status?: number,
  ) {
    super(message);
    this.status = status ?? ERROR_STATUS[code];
  }
}

export function opnErrorBody(code: string, message: string) {
  return { object: 'error' as const, location: `${ERROR_DOCS_URL}#${code.replaceAll('_', '-')}`, code, message };
}

/** The one place that writes Opn's error body. */
export function sendOpnError(res: Response, error: OpnApiError): void {
  res.status(error.status).json(opnErrorBody(error.code, error.message));
}

export const notFound = (kind: string, id: string) => new OpnApiError('not_found', `${kind} ${id} was not found`);

/** Express error handler for the Opn API: known errors as they are, body-parser errors as bad_request, the rest 500. */
export const opnErrorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  if (err instanceof OpnApiError) return sendOpnError(res, err);
  const type = (err as { type?: string }).type;
  if (type === 'entity.parse.failed') return sendOpnError(res, new OpnApiError('bad_request', 'request body is not valid JSON'));
  if (typeof type === 'string' && type.startsWith('entity.')) {
    return sendOpnError(res, new OpnApiError('bad_request', `request body could not be read (${type})`));
  }
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return sendOpnError(res, new OpnApiError('bad_request', 'unsupported request body encoding'));
  }
  // Express's own client errors, e.g. a path that is not valid percent-encoding (a URIError with status 400).
  const status = (err as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return sendOpnError(res, new OpnApiError('bad_request', 'the request could not be read (malformed path or body)'));
  }
  console.error('[sandbox] unexpected error', err);
  sendOpnError(res, new OpnApiError('internal_error', 'internal server error'));
};
