import { expect } from '@open-wc/testing';
import { CheckoutError, CheckoutErrorCode, ERROR_CUSTOMER_MESSAGES } from '@payment-checkout/core/errors';
import { CompanionError } from '../companion-client.ts';
import { StarterError } from '../gateways/starter.ts';
import { BOOT_TEXTS } from '@payment-checkout/core/boot-texts';
import { checkoutTexts } from '@payment-checkout/core/texts';
import { ScriptLoadError } from '../load-script.ts';
import { classifyProblem, isRetryable, type Problem, problemMessage } from './problems.ts';

/** What the shopper reads for each kind of error, and whether "Try again" is offered, whatever the gateway. */

const STRINGS = { en: checkoutTexts('en'), th: checkoutTexts('th') };
const payment = { stage: 'payment' } as const;
const show = (problem: Problem) => [problem.kind, problem.code, problemMessage(problem, STRINGS.en, 'en'), isRetryable(problem)];

describe('problems', () => {
  it("shows the companion's refusals with its message, and offers no retry for those it would repeat", () => {
    const final = classifyProblem(new CompanionError('payment_final', 'This order is already paid.', 409, true), payment);
    expect(show(final)).to.deep.equal(['server', 'payment_final', 'This order is already paid.', false]);
    const busy = classifyProblem(new CompanionError('payment_in_progress', 'Being created.', 409, true), payment);
    expect(show(busy)).to.deep.equal(['server', 'payment_in_progress', 'Being created.', true]);
  });

  it("shows the companion's words in the shopper's language, and its English message after a switch to another", () => {
    const asked = { message: 'คำสั่งซื้อนี้ชำระเงินแล้ว', locale: 'th' } as const;
    const thai = classifyProblem(new CompanionError('payment_final', 'This order is already paid.', 409, true, asked), payment);
    expect(problemMessage(thai, STRINGS.th, 'th')).to.equal('คำสั่งซื้อนี้ชำระเงินแล้ว');
    expect(problemMessage(thai, STRINGS.en, 'en')).to.equal('This order is already paid.');
    // A companion that sent no words for the shopper: its own message.
    const plain = classifyProblem(new CompanionError('teapot', 'I am a teapot.', 418, true), payment);
    expect(problemMessage(plain, STRINGS.th, 'th')).to.equal('I am a teapot.');
  });

  it('does not ask a Thai shopper to try again where the element offers no "Try again"', () => {
    // The companion's Thai words for its refusals (core) against the element's rule for "Try again".
    const final = CheckoutErrorCode.options.filter((code) => {
      const error = new CheckoutError(code, 'x');
      return !isRetryable(classifyProblem(new CompanionError(code, 'x', error.status, true), payment));
    });
    expect(final).to.include.members(['order_not_found', 'payment_final', 'method_unavailable', 'amount_out_of_limits', 'bad_request']);
    expect(final).to.not.include.members(['payment_in_progress', 'gateway_error', 'internal_error', 'order_lookup_failed']);
    for (const code of final) {
      const text: string | undefined = (ERROR_CUSTOMER_MESSAGES.th as Record<string, string>)[code];
      expect(text ?? '', code).to.not.contain('ลองอีกครั้ง');
    }
  });

  it('words network failures, answers it cannot read and scripts that did not load in its own words, with a retry', () => {
    const cases: [unknown, unknown[]][] = [
      [new CompanionError('network_error', 'x', 0, false), ['network', 'network_error', STRINGS.en.networkError, true]],
      [new CompanionError('timeout', 'x', 0, false), ['network', 'timeout', STRINGS.en.networkError, true]],
      [new CompanionError('invalid_response', 'x', 200, false), ['unexpected', 'invalid_response', STRINGS.en.unexpectedError, true]],
      [new ScriptLoadError('https://gateway.test/script.js'), ['script', 'script_load_failed', STRINGS.en.scriptError, true]],
    ];
    for (const [error, shown] of cases) expect(show(classifyProblem(error, payment))).to.deep.equal(shown);
  });

  it("tells a gateway's refusal, a gateway out of reach and a form or QR code that would not open apart", () => {
    const refused = new StarterError('invalid_amount', 'refused', 'amount must be at least 2000');
    expect(show(classifyProblem(refused, payment))).to.deep.equal([
      'refused',
      'invalid_amount',
      // The gateway's words (English, technical) are for the checkout-error event, not the shopper.
      STRINGS.en.sourceError,
      true,
    ]);
    expect(show(classifyProblem(new StarterError('timeout', 'unreachable', 'x'), payment))).to.deep.equal([
      'network',
      'timeout',
      STRINGS.en.networkError,
      true,
    ]);
    const unavailable = new StarterError('card_form_unavailable', 'unavailable', 'x');
    expect(show(classifyProblem(unavailable, payment))).to.deep.equal(['form', 'card_form_unavailable', STRINGS.en.cardFormError, true]);
    expect(show(classifyProblem(unavailable, { ...payment, qr: true }))).to.deep.equal(['qr', 'qr_unavailable', STRINGS.en.qrError, true]);
  });

  it('words what may happen before the companion\'s texts arrive in the element\'s own few words', () => {
    const offline = classifyProblem(new CompanionError('network_error', 'x', 0, false), { stage: 'config' });
    expect(problemMessage(offline, BOOT_TEXTS.th, 'th')).to.equal('ไม่สามารถเชื่อมต่อบริการชำระเงินได้');
    expect(problemMessage(classifyProblem(new ScriptLoadError('https://x.test/s.js'), payment), BOOT_TEXTS.ja, 'ja')).to.equal(BOOT_TEXTS.ja.unreachable);
    // Once the companion's texts are in, each says more.
    expect(problemMessage(offline, checkoutTexts('th'), 'th')).to.equal(checkoutTexts('th').networkError);
  });

  it('shows anything else as unexpected, with a retry', () => {
    const error = console.error;
    console.error = () => undefined;
    try {
      expect(show(classifyProblem(new TypeError('boom'), { stage: 'config' }))).to.deep.equal([
        'unexpected',
        'unexpected_error',
        STRINGS.en.unexpectedError,
        true,
      ]);
    } finally {
      console.error = error;
    }
  });
});
