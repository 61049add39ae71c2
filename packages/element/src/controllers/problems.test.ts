import { expect } from '@open-wc/testing';
import { CompanionError } from '../companion-client.ts';
import { StarterError } from '../gateways/starter.ts';
import { STRINGS } from '../i18n.ts';
import { ScriptLoadError } from '../load-script.ts';
import { classifyProblem, isRetryable, type Problem, problemMessage } from './problems.ts';

/** What the shopper reads for each kind of error, and whether "Try again" is offered, whatever the gateway. */

const payment = { stage: 'payment' } as const;
const show = (problem: Problem) => [problem.kind, problem.code, problemMessage(problem, STRINGS.en), isRetryable(problem)];

describe('problems', () => {
  it("shows the companion's refusals with its message, and offers no retry for those it would repeat", () => {
    const final = classifyProblem(new CompanionError('payment_final', 'This order is already paid.', 409, true), payment);
    expect(show(final)).to.deep.equal(['server', 'payment_final', 'This order is already paid.', false]);
    const busy = classifyProblem(new CompanionError('payment_in_progress', 'Being created.', 409, true), payment);
    expect(show(busy)).to.deep.equal(['server', 'payment_in_progress', 'Being created.', true]);
    // Thai: the element's own text for a code it knows.
    expect(problemMessage(final, STRINGS.th)).to.equal('คำสั่งซื้อนี้ชำระเงินแล้ว');
  });

  it('words network failures, answers it cannot read and scripts that did not load in its own words, with a retry', () => {
    const cases: [unknown, unknown[]][] = [
      [new CompanionError('network_error', 'x', 0, false), ['network', 'network_error', STRINGS.en.networkError, true]],
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
      'The payment could not be started. amount must be at least 2000',
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
