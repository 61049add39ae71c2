/**
 * The gateways' scripts as the browser tests see them: a fake omise.js and a fake kpayment.min.js (served from this
 * folder), with what they recorded.
 */

export const FAKE_OMISE_URL = new URL('./fake-omise.js', import.meta.url).href;
export const FAKE_KPAYMENT_URL = new URL('./fake-kpayment.js', import.meta.url).href;

export interface FakeOmiseState {
  loads: number;
  publicKey: string | null;
  calls: { type: string; params: { amount: number; currency: string; platform_type?: string }; publicKey: string | null }[];
  respond: ((type: string, params: unknown) => [number, unknown]) | null;
}

declare global {
  interface Window {
    fakeOmise?: FakeOmiseState;
  }
}

/** The fake omise.js's record, created before the script runs so tests can steer the first load too. */
export function fakeOmise(): FakeOmiseState {
  window.fakeOmise ??= { loads: 0, publicKey: null, calls: [], respond: null };
  return window.fakeOmise;
}

export function resetFakeOmise(): void {
  const state = fakeOmise();
  state.calls.length = 0;
  state.respond = null;
}

export interface FakeKPaymentShow {
  /** Which run of the script answered (1 = the first time the script ran on this page). */
  load: number;
  attributes: Record<string, string>;
  action: string | null;
  method: string | null;
}

/** The fake kpayment.min.js's record (see fake-kpayment.js). */
export interface FakeKPaymentState {
  loads: number;
  creates: number;
  shows: FakeKPaymentShow[];
  closeHandlers: number;
  showResult: boolean;
  isOpen(): boolean;
  close(): void;
  pay(fields: Record<string, string>): void;
}

declare global {
  interface Window {
    fakeKPayment?: FakeKPaymentState;
  }
}

/** The fake kpayment.min.js's record; undefined until the script first ran. */
export function fakeKPayment(): FakeKPaymentState {
  const state = window.fakeKPayment;
  if (!state) throw new Error('fake-kpayment.js has not run');
  return state;
}

/** How many times the fake kpayment.min.js was asked to show its form or QR code (0 before it first ran). */
export const kpaymentShows = (): number => window.fakeKPayment?.shows.length ?? 0;

/** Lets the fake kpayment.min.js show its form again, after a test made it refuse. */
export function resetFakeKPayment(): void {
  if (window.fakeKPayment) window.fakeKPayment.showResult = true;
}
