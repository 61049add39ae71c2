import { describe, expect, it } from 'vitest';
import { describeEvent, formatAmount, formatError, formatPaymentDetail, formatPaymentTable, formatReconcileReport, formatTable, formatTime, printable } from './format.ts';
import { OperationsApiError } from './api-client.ts';
import { UsageError } from './exit-codes.ts';
import type { PaymentDetail } from '../services/operations.ts';

describe('what payments prints', () => {
  it('writes minor units as grouped major units with the currency code', () => {
    expect(formatAmount(150_000, 'THB')).toBe('1,500.00 THB');
    expect(formatAmount(5, 'THB')).toBe('0.05 THB');
    expect(formatAmount(123_456_789, 'SGD')).toBe('1,234,567.89 SGD');
    expect(formatAmount(1_500, 'JPY')).toBe('1,500 JPY');
    expect(formatAmount(999, 'JPY')).toBe('999 JPY');
    expect(formatAmount(Number.MAX_SAFE_INTEGER, 'USD')).toBe('90,071,992,547,409.91 USD');
  });

  it('aligns columns, right-aligned where asked, without trailing spaces', () => {
    const table = formatTable(['ID', 'AMOUNT', 'NOTE'], [['a', '1.00 THB', ''], ['bbb', '1,500.00 THB', 'x']], ['left', 'right', 'left']);
    expect(table.split('\n')).toEqual(['ID         AMOUNT  NOTE', 'a        1.00 THB', 'bbb  1,500.00 THB  x']);
  });

  it('says a payment that paid its order twice needs a refund until the money is back (voided, refunded)', () => {
    const detail = (status: string) =>
      ({
        payment: { id: `pay_${'1'.repeat(32)}`, orderId: 'o-1', method: 'wallet_a', gateway: 'gateway_a', platform: null, status, amount: 150_000, currency: 'THB', refundedAmount: 0, settledAmount: null, chargeId: null, sourceId: null, failureCode: null, failureMessage: null, needsRefund: true, supersededBy: null, createdAt: '2031-02-01T00:00:00.000Z', updatedAt: '2031-02-01T00:00:00.000Z' },
        operations: [],
        events: [],
      }) as unknown as PaymentDetail;
    expect(formatPaymentDetail(detail('succeeded'))).toMatch(/^Needs refund\s+yes: it succeeded after its order was paid otherwise$/m);
    expect(formatPaymentDetail(detail('partially_refunded'))).toMatch(/^Needs refund\s+yes:/m);
    expect(formatPaymentDetail(detail('voided'))).toMatch(/^Needs refund\s+no longer: voided$/m);
    expect(formatPaymentDetail(detail('refunded'))).toMatch(/^Needs refund\s+no longer: refunded$/m);
  });

  it('shortens times and writes an event detail in a line, amounts in the payment currency', () => {
    expect(formatTime('2031-02-01T00:01:00.000Z')).toBe('2031-02-01 00:01:00Z');
    const event = { id: 1, paymentId: `pay_${'0'.repeat(32)}`, at: '2031-02-01T00:01:00.000Z', source: 'operations', type: 'operation_requested', fromStatus: null, toStatus: null } as const;
    expect(describeEvent({ ...event, detail: { operation: 'refund', by: 'ops-alice', amount: 1_000, reason: 'broken cup', gatewayCode: null } }, 'THB')).toBe(
      'operation=refund by=ops-alice amount=10.00 THB reason="broken cup"',
    );
    expect(describeEvent({ ...event, type: 'status_changed', fromStatus: 'succeeded', toStatus: 'partially_refunded', detail: { refundedAmount: 1_000 } }, 'JPY')).toBe(
      'succeeded → partially_refunded refundedAmount=1,000 JPY',
    );
    // What a card was charged, in its own currency (Full DCC), not the payment's.
    expect(describeEvent({ ...event, type: 'status_changed', fromStatus: 'pending', toStatus: 'succeeded', detail: { chargedAmount: 4_470, chargedCurrency: 'USD' } }, 'THB')).toBe(
      'pending → succeeded chargedAmount=44.70 USD chargedCurrency=USD',
    );
  });

  it('shows what the card was charged (DCC) and the instalments chosen, only when the payment has them', () => {
    const paidAs = (fields: object) => formatPaymentDetail(detailOf({ method: 'card', gateway: 'gateway_a', status: 'succeeded', ...fields }));
    const dcc = paidAs({ chargedAmount: 4_470, chargedCurrency: 'USD', installmentTerm: null });
    expect(dcc).toMatch(/^Amount\s+1,500\.00 THB\nCharged\s+44\.70 USD$/m);
    expect(dcc).not.toMatch(/^Instalments/m);
    expect(paidAs({ chargedAmount: null, chargedCurrency: null, installmentTerm: 10 })).toMatch(/^Instalments\s+10 monthly$/m);
    const plain = paidAs({ chargedAmount: null, chargedCurrency: null, installmentTerm: null });
    expect(plain).not.toMatch(/^(Charged|Instalments)/m);
  });
});

/** A payment's detail as the API answers it, with these fields changed. */
function detailOf(payment: object, rest: Partial<PaymentDetail> = {}): PaymentDetail {
  return {
    payment: {
      id: `pay_${'2'.repeat(32)}`, orderId: 'o-2', method: 'wallet_a', gateway: 'gateway_a', platform: null, status: 'succeeded', amount: 150_000, currency: 'THB',
      refundedAmount: 0, settledAmount: null, chargedAmount: null, chargedCurrency: null, installmentTerm: null, chargeId: null, sourceId: null, failureCode: null,
      failureMessage: null, authorizeUri: null, needsRefund: false, supersededBy: null, chargeCreatedAt: null, createdAt: '2031-02-01T00:00:00.000Z', updatedAt: '2031-02-01T00:00:00.000Z',
      ...payment,
    },
    operations: [],
    events: [],
    ...rest,
  } as unknown as PaymentDetail;
}

/** C0 controls, DEL and C1 controls: what a terminal acts on instead of showing. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** The same but the newline, which the CLI's own lines end with. */
const CONTROL_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
const HOSTILE = '\u001b]0;pwned\u0007\u001b[2J\u001b[31mOK';

describe('free text from the API, printed for people', () => {
  it('escapes every control character a value holds, newlines and tabs included, as JSON writes them', () => {
    expect(printable(HOSTILE)).toBe('\\u001b]0;pwned\\u0007\\u001b[2J\\u001b[31mOK');
    expect(printable('a\nb\rc\td\u007fe\u009bf\u0085g')).toBe('a\\nb\\rc\\td\\u007fe\\u009bf\\u0085g');
    expect(printable('Thai ฿1,500.00 ✓ "quoted" back\\slash')).toBe('Thai ฿1,500.00 ✓ "quoted" back\\slash');
    expect(printable(printable(HOSTILE))).toBe(printable(HOSTILE));
  });

  it('prints no control character of a reason, an operator, a gateway or failure message, an id or a refusal in `payments show`', () => {
    const event = { id: 1, paymentId: `pay_${'2'.repeat(32)}`, at: '2031-02-01T00:01:00.000Z', source: 'operations', fromStatus: null, toStatus: null } as const;
    const detail = detailOf(
      { failureCode: `code${HOSTILE}`, failureMessage: `gateway says\n${HOSTILE}`, chargeId: `chrg\u009b2J`, supersededBy: `pay_\u001b[2J`, platform: `ios\u0007` },
      {
        operations: [{ name: 'refund', allowed: false, reason: `not now\r${HOSTILE}`, maxAmount: null }],
        events: [
          { ...event, type: 'operation_requested', detail: { operation: 'refund', by: `ops${HOSTILE}`, reason: HOSTILE, amount: 1_000 } },
          { ...event, id: 2, type: 'operation_failed', detail: { operation: 'refund', by: 'ops', message: `Declined\nStatus  succeeded`, [`key${HOSTILE}`]: 'x' } },
          { ...event, id: 3, type: `gateway_error\u001b[2J` as 'gateway_error', source: `poll\u0085` as 'poll', detail: { code: 'nospace\u007f\u009b' } },
        ],
      },
    );
    const text = formatPaymentDetail(detail);
    expect(text).not.toMatch(CONTROL_BUT_NEWLINE);
    // A newline in a value is shown, not obeyed: no line of the output is made by the gateway's message.
    expect(text).not.toMatch(/^Status {2}succeeded/m);
    expect(text).toContain('reason="\\u001b]0;pwned\\u0007\\u001b[2J\\u001b[31mOK"');
    expect(text).toContain('by="ops\\u001b]0;pwned');
    expect(text).toContain('code="nospace\\u007f\\u009b"');
    expect(text).toMatch(/^Failure\s+code\\u001b.*: gateway says\\n\\u001b/m);
  });

  it('escapes them in the list, the reconciler report and the errors too', () => {
    const summary = detailOf({ orderId: `o${HOSTILE}`, method: `m\u0007` }).payment;
    expect(formatPaymentTable([summary])).not.toMatch(CONTROL_BUT_NEWLINE);
    const report = formatReconcileReport({ checked: 1, updated: 0, errors: 1, payments: [{ id: summary.id, from: 'pending', to: 'pending', error: `timeout\n${HOSTILE}` }] });
    expect(report).not.toMatch(CONTROL_BUT_NEWLINE);
    expect(report).toContain('timeout\\n\\u001b]0;pwned');
    const refused = new OperationsApiError(409, `operation_refused${HOSTILE}`, `Refused\n${HOSTILE}`, [{ path: `amount\u0007`, message: `Too big\u009b` }], { code: `G1\u001b`, message: `bank says\r${HOSTILE}` });
    const lines = formatError(refused).split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).not.toMatch(CONTROL);
    expect(lines[2]).toBe('  the gateway said: G1\\u001b: bank says\\r\\u001b]0;pwned\\u0007\\u001b[2J\\u001b[31mOK');
    expect(formatError(new UsageError(`Unknown command "${HOSTILE}".`))).not.toMatch(CONTROL_BUT_NEWLINE);
  });
});
