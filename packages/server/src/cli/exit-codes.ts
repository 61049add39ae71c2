import { ApiUnreachableError, OperationsApiError } from './api-client.ts';

/** What `payments` exits with, for scripts (documented in `payments help` and the server README). */
export const ExitCode = {
  ok: 0,
  /** Anything else: a request the API found malformed (400), an answer we could not read, a bug. */
  other: 1,
  /** Bad flags or arguments: no operation was sent. */
  usage: 2,
  /** 401: no token, or not one the companion knows. */
  unauthorized: 3,
  /** 404: no such payment (or the URL is not the operations API). */
  notFound: 4,
  /** 409: our rules (`operation_not_allowed`) or the gateway (`operation_refused`) refused the operation, or its key names another request (`idempotency_conflict`). */
  refused: 5,
  /** The gateway did not answer (502), the companion failed (5xx) or could not be reached. */
  unavailable: 6,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A mistake on the command line, found before anything that acts was sent. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** No operations token to send: unauthorized (exit 3) as the API's own 401 would be, before anything was sent. */
export class MissingTokenError extends Error {
  override readonly name = 'MissingTokenError';
}

/** The exit code an error stands for. */
export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof UsageError) return ExitCode.usage;
  if (error instanceof MissingTokenError) return ExitCode.unauthorized;
  if (error instanceof ApiUnreachableError) return ExitCode.unavailable;
  if (!(error instanceof OperationsApiError)) return ExitCode.other;
  if (error.status === 401) return ExitCode.unauthorized;
  if (error.status === 404) return ExitCode.notFound;
  if (error.status === 409) return ExitCode.refused;
  if (error.status >= 500) return ExitCode.unavailable;
  return ExitCode.other;
}
