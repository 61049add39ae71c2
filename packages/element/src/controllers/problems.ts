import type { CheckoutErrorCode } from '@payment-checkout/core/errors';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { CompanionError } from '../companion-client.ts';
import { CheckoutErrorEvent, type CheckoutErrorStage } from '../events.ts';
import { StarterError } from '../gateways/starter.ts';
import { type Locale, STRINGS, type Strings } from '../i18n.ts';
import { ScriptLoadError } from '../load-script.ts';

/**
 * The companion's refusals that the same request meets again (the order is paid, the method refused, no such order or
 * payment…): shown without "Try again". Anything else may pass on a second try: no answer, a 5xx, `gateway_error`,
 * `internal_error`, `payment_in_progress`, a script or form that did not load, an answer we could not read.
 */
export const FINAL_ERRORS: ReadonlySet<string> = new Set<CheckoutErrorCode>([
  'bad_request',
  'invalid_json',
  'not_found',
  'order_not_found',
  'method_unavailable',
  'amount_out_of_limits',
  'source_mismatch',
  'payment_final',
  'invalid_token',
  'invalid_signature',
  'unauthorized',
]);

/** What went wrong, kept apart from its wording so that a locale change re-words it. */
export interface Problem {
  stage: CheckoutErrorStage;
  kind: 'server' | 'network' | 'script' | 'refused' | 'form' | 'qr' | 'unexpected';
  code: string;
  /** The companion's own message, in English (kind `server`), or the gateway's (kind `refused`). */
  detail: string | null;
  /** Kind `server`: the companion's message in the shopper's language, and which language that is. */
  customer?: { message: string; locale: Locale };
}

/** Where the error happened: its stage, and whether a QR code (rather than a card form) was being opened. */
export interface ProblemContext {
  stage: CheckoutErrorStage;
  qr?: boolean;
}

/** What the shopper is told about an error, and whether a second try may help. */
export function classifyProblem(error: unknown, { stage, qr = false }: ProblemContext): Problem {
  if (error instanceof CompanionError) {
    if (error.fromServer) {
      const customer = error.customerMessage !== null && error.locale ? { message: error.customerMessage, locale: error.locale } : undefined;
      return { stage, kind: 'server', code: error.code, detail: error.message, ...(customer ? { customer } : {}) };
    }
    return { stage, kind: error.code === 'network_error' ? 'network' : 'unexpected', code: error.code, detail: null };
  }
  if (error instanceof ScriptLoadError) return { stage, kind: 'script', code: error.code, detail: null };
  if (error instanceof StarterError) {
    switch (error.reason) {
      case 'unreachable':
        return { stage, kind: 'network', code: error.code, detail: null };
      case 'refused':
        return { stage, kind: 'refused', code: error.code, detail: error.message };
      case 'unavailable':
        return qr ? { stage, kind: 'qr', code: 'qr_unavailable', detail: null } : { stage, kind: 'form', code: error.code, detail: null };
    }
  }
  console.error('<payment-checkout>', error);
  return { stage, kind: 'unexpected', code: 'unexpected_error', detail: null };
}

/**
 * The problem in `locale`, whose strings are `t`. The companion words its own errors in the language the request
 * asked for; after a switch to another one, its English message stands in.
 */
export function problemMessage(problem: Problem, t: Strings, locale: Locale): string {
  switch (problem.kind) {
    case 'server':
      return (problem.customer?.locale === locale ? problem.customer.message : problem.detail) ?? t.unexpectedError;
    case 'network':
      return t.networkError;
    case 'script':
      return t.scriptError;
    case 'refused':
      return problem.detail ? `${t.sourceError} ${problem.detail}` : t.sourceError;
    case 'form':
      return t.cardFormError;
    case 'qr':
      return t.qrError;
    case 'unexpected':
      return t.unexpectedError;
  }
}

/** Whether a second try of what failed may succeed (not after a refusal the companion would repeat). */
export function isRetryable(problem: Problem): boolean {
  return !(problem.kind === 'server' && FINAL_ERRORS.has(problem.code));
}

/** The element's current problem: classifies errors, shows them (the host re-renders) and reports `checkout-error`. */
export class ProblemController implements ReactiveController {
  /** The problem on screen, or null. */
  current: Problem | null = null;
  readonly #host: ReactiveControllerHost & EventTarget;

  constructor(host: ReactiveControllerHost & EventTarget) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {
    // Nothing to set up: problems come from the host's work, and stay on screen until it clears them.
  }

  /** Shows what went wrong and fires `checkout-error` with the English message. */
  report(error: unknown, context: ProblemContext): Problem {
    const problem = classifyProblem(error, context);
    this.current = problem;
    this.#host.requestUpdate();
    this.#host.dispatchEvent(new CheckoutErrorEvent(problem.code, problemMessage(problem, STRINGS.en, 'en'), problem.stage));
    return problem;
  }

  clear(): void {
    if (!this.current) return;
    this.current = null;
    this.#host.requestUpdate();
  }
}
