import type { ReactiveControllerHost } from 'lit';
import { CompanionError } from '../companion-client.ts';
import { CheckoutErrorEvent, type CheckoutErrorStage } from '../events.ts';
import type { BootTexts, CheckoutTexts, Locale } from '../texts.ts';

/** What went wrong, kept apart from its wording so that a locale change re-words it. */
export interface Problem {
  stage: CheckoutErrorStage;
  /** `setup`: the page set the element up wrong (no order or payment to show); only the page can fix it. */
  kind: 'server' | 'network' | 'script' | 'refused' | 'form' | 'qr' | 'setup' | 'unexpected';
  code: string;
  /**
   * The error's own message, in English, for developers (the `checkout-error` event); shown to the shopper only as the
   * companion's (kind `server`, when it sent none in the shopper's language), never a gateway's.
   */
  detail: string;
  /** Kind `server`: the companion's message in the shopper's language, and which language that is. */
  customer?: { message: string; locale: Locale };
  /** Kind `server`: the HTTP status of the companion's answer. */
  status?: number;
}

/** Where the error happened: its stage, and whether a QR code (rather than a card form) was being opened. */
export interface ProblemContext {
  stage: CheckoutErrorStage;
  qr?: boolean;
}

/**
 * What the shopper is told about an error, and whether a second try may help. Errors are read by their fields, not
 * their classes: a gateway's starter is its own chunk (or bundle) with its own copies of StarterError and
 * ScriptLoadError. `code` and `reason` (`refused` | `unreachable` | `unavailable`) are what StarterError carries;
 * `script_load_failed` is a script (or starter) that did not load.
 */
export function classifyProblem(error: unknown, { stage, qr = false }: ProblemContext): Problem {
  const { code, reason, message, status } = (error ?? {}) as { code?: unknown; reason?: unknown; message?: unknown; status?: unknown };
  const detail = typeof message === 'string' ? message : '';
  if (error instanceof CompanionError && error.fromServer) {
    const customer = error.customerMessage !== null && error.locale ? { message: error.customerMessage, locale: error.locale } : undefined;
    return { stage, kind: 'server', code: error.code, detail, status: error.status, ...(customer ? { customer } : {}) };
  }
  if (typeof code === 'string') {
    // No answer: the companion's (`network_error`, `timeout`: status 0) or the gateway's (reason `unreachable`).
    if (status === 0 || reason === 'unreachable') return { stage, kind: 'network', code, detail };
    if (code === 'script_load_failed') return { stage, kind: 'script', code, detail };
    if (reason === 'refused') return { stage, kind: 'refused', code, detail };
    if (reason === 'unavailable') return qr ? { stage, kind: 'qr', code: 'qr_unavailable', detail } : { stage, kind: 'form', code, detail };
    // An answer the element could not use (`invalid_response`, `http_error`), or a code it does not know.
    if (error instanceof Error) return { stage, kind: 'unexpected', code, detail };
  }
  console.error('<payment-checkout>', error);
  return { stage, kind: 'unexpected', code: 'unexpected_error', detail: 'Unexpected error (see the console).' };
}

/**
 * The problem in `locale`, whose texts are `t` (the companion's, or only the element's own before they arrive). The
 * companion words its own errors in the language the request asked for; after a switch to another one, its English
 * message stands in.
 */
export function problemMessage(problem: Problem, t: BootTexts & Partial<CheckoutTexts>, locale: Locale): string {
  // Before the companion's texts arrive, one sentence says it all.
  const unexpected = t.unexpectedError ?? t.unreachable;
  switch (problem.kind) {
    case 'server':
      return problem.customer?.locale === locale ? problem.customer.message : problem.detail;
    case 'network':
      return t.networkError ?? t.unreachable;
    case 'refused':
      // Never the gateway's own words (English, technical): they go to the `checkout-error` event.
      return t.sourceError ?? unexpected;
    case 'script':
      return t.scriptError ?? unexpected;
    case 'form':
      return t.cardFormError ?? unexpected;
    case 'qr':
      return t.qrError ?? unexpected;
    case 'setup':
    case 'unexpected':
      return unexpected;
  }
}

/**
 * Whether a second try of what failed may succeed: not after a set-up error (the page's to fix), nor after a refusal
 * the companion would repeat, a 4xx (the order is paid, the method refused, no such order…) but for
 * `payment_in_progress` (another request of this order is under way) and 429. Anything else may pass on a second try:
 * no answer, a 5xx (`gateway_error`, `internal_error`), a script or form that did not load, an answer we could not read.
 */
export function isRetryable({ kind, status = 500, code }: Problem): boolean {
  // Only the companion's answers (kind `server`) have a status: anything else reads as a 5xx.
  return kind !== 'setup' && (status >= 500 || status === 429 || code === 'payment_in_progress');
}

/**
 * The element's current problem: classifies errors, shows them (the host re-renders) and reports `checkout-error`.
 * Not a reactive controller: it has nothing to do in the host's lifecycle, problems stay until the host clears them.
 */
export class ProblemController {
  /** The problem on screen, or null. */
  current: Problem | null = null;
  readonly #host: ReactiveControllerHost & EventTarget;

  constructor(host: ReactiveControllerHost & EventTarget) {
    this.#host = host;
  }

  /** Shows what went wrong and fires `checkout-error` with the error's own English message. */
  report(error: unknown, context: ProblemContext): void {
    this.#show(classifyProblem(error, context));
  }

  /**
   * The page gave neither `order-id` nor `payment-id`: the developer is told (`checkout-error` and the console), the
   * shopper reads the generic error, with no "Try again" (only the page can fix it).
   */
  missingIds(): void {
    const detail = 'no order-id or payment-id';
    console.warn('<payment-checkout>', detail);
    this.#show({ stage: 'config', kind: 'setup', code: 'missing_order_id', detail });
  }

  clear(): void {
    if (!this.current) return;
    this.current = null;
    this.#host.requestUpdate();
  }

  #show(problem: Problem): void {
    this.current = problem;
    this.#host.requestUpdate();
    this.#host.dispatchEvent(new CheckoutErrorEvent(problem.code, problem.detail, problem.stage));
  }
}
