import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { cardToken, kpaymentApi, kpaymentSettings, postForm, scriptPostsCharge, showQr, startCard, startQr, tokenFields } from './support/kpayment.ts';
import { operationEvents, operationsCaller } from './support/operations.ts';
import { type World, type WorldOptions, startWorld } from './support/world.ts';

/**
 * Issue 9, "Merchant operations": refunds, voids, settlement, capture and reverse, expiry — each only where the
 * gateway and the seeds allow it, logged with who asked, and the payment's status and refunded amount follow
 * (also without a webhook, and for a refund made in the gateway's own dashboard).
 */

const OPS = { name: 'ops-carol', token: randomBytes(32).toString('base64url') };
const DAY = 86_400_000;

let world: World;
afterEach(async () => {
  await world?.close();
});

async function open(options: WorldOptions = {}): Promise<void> {
  world = await startWorld({ ...options, checkout: { ...options.checkout, operations: { tokens: [OPS] } } });
}

const ops = operationsCaller(() => world, OPS.token);

/** An Opn payment paid on the sandbox's authorize page and seen by the companion (the shopper came back). */
async function paidOpn(method: string, amount: number, currency: 'THB' | 'SGD' = 'THB') {
  const res = await world.createPayment(world.order(amount, currency), method);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  await world.visit(await world.authorize(res.body.next.url, 'successful'));
  return world.paymentOf(res.body.paymentId);
}

/** A K-Payment card payment, paid without 3-D Secure. */
async function paidCard(amount = 150_000) {
  kpaymentSettings(world, { threeDSecure: false });
  const { paymentId, next } = await startCard(world, amount);
  const back = await postForm(next.formAction, tokenFields(await cardToken(world, { number: '5431289719925031' }), next.attributes));
  expect(back.status).toBe(303);
  const payment = await world.paymentOf(paymentId);
  expect(payment.status).toBe('succeeded');
  return payment;
}

const offer = (detail: { operations: { name: string }[] }, name: string) => detail.operations.find((o) => o.name === name);

describe('Opn', () => {
  it('refuses to refund or void K PLUS (Opn has neither), says why, logs who asked, sends nothing', async () => {
    await open();
    const payment = await paidOpn('mobile_banking_kbank', 150_000);
    const detail = (await ops(`/payments/${payment.id}`)).body;
    expect(offer(detail, 'refund')).toMatchObject({ allowed: false, reason: expect.stringContaining('cannot void or refund') });
    expect(offer(detail, 'capture')).toBeUndefined();

    const refused = await ops(`/payments/${payment.id}/refund`, { amount: 10_000 });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'operation_not_allowed', message: expect.stringContaining('cannot void or refund') });
    const after = (await ops(`/payments/${payment.id}`)).body;
    expect(after.payment).toMatchObject({ status: 'succeeded', refundedAmount: 0 });
    expect(operationEvents(after)).toEqual([['operation_requested', 'refund', 'ops-carol'], ['operation_failed', 'refund', 'ops-carol']]);
    expect((await world.opn(`/charges/${payment.chargeId}/refunds`)).body.data).toEqual([]);
    // An operation the method does not have at all, in the method's name.
    const settle = await ops(`/payments/${payment.id}/settle`, {});
    expect([settle.status, settle.body.error.message]).toEqual([409, 'KBank K PLUS payments have no settle.']);
    // Asked without an amount and refused: the log names no amount nobody asked for.
    expect((await ops(`/payments/${payment.id}/refund`, {})).status).toBe(409);
    const asked = (await ops(`/payments/${payment.id}`)).body.events.filter((e: { type: string }) => e.type === 'operation_requested');
    expect(asked.map((e: { detail: { amount?: number } }) => e.detail.amount)).toEqual([10_000, undefined, undefined]);
  });

  it('refunds KakaoPay in parts and then in full; the status and refunded amount follow; no more than was paid', async () => {
    await open();
    const payment = await paidOpn('kakaopay', 150_000);
    expect(offer((await ops(`/payments/${payment.id}`)).body, 'refund')).toMatchObject({ allowed: true, maxAmount: 150_000 });

    const part = await ops(`/payments/${payment.id}/refund`, { amount: 40_000, reason: 'one item returned' });
    expect(part.status, JSON.stringify(part.body)).toBe(200);
    expect(part.body.payment).toMatchObject({ status: 'partially_refunded', refundedAmount: 40_000 });
    expect(offer(part.body, 'refund')).toMatchObject({ allowed: true, maxAmount: 110_000 });
    expect(offer(part.body, 'void')).toMatchObject({ allowed: false });

    const tooMuch = await ops(`/payments/${payment.id}/refund`, { amount: 110_001 });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error.code).toBe('operation_not_allowed');
    // In the amounts people typed (major units, grouped), not minor units.
    expect(tooMuch.body.error.message).toBe('1,100.01 THB is more than this refund may take: at most 1,100.00 THB.');

    const rest = await ops(`/payments/${payment.id}/refund`, {});
    expect(rest.body.payment).toMatchObject({ status: 'refunded', refundedAmount: 150_000 });
    expect(offer(rest.body, 'refund')).toMatchObject({ allowed: false });
    const refunds = (await world.opn(`/charges/${payment.chargeId}/refunds`)).body.data as { amount: number }[];
    expect(refunds.map((r) => r.amount)).toEqual([40_000, 110_000]);
    expect(operationEvents(rest.body)).toEqual([
      ['operation_requested', 'refund', 'ops-carol'],
      ['operation_succeeded', 'refund', 'ops-carol'],
      ['operation_requested', 'refund', 'ops-carol'],
      ['operation_failed', 'refund', 'ops-carol'],
      ['operation_requested', 'refund', 'ops-carol'],
      ['operation_succeeded', 'refund', 'ops-carol'],
    ]);
    // The refund.create webhooks that follow change nothing.
    await world.flushWebhooks();
    expect((await ops(`/payments/${payment.id}`)).body.payment).toMatchObject({ status: 'refunded', refundedAmount: 150_000 });
  });

  it('voids KakaoPay inside its window', async () => {
    await open();
    const payment = await paidOpn('kakaopay', 2_000, 'SGD');
    const voided = await ops(`/payments/${payment.id}/void`, { reason: 'fraud suspected' });
    expect(voided.status, JSON.stringify(voided.body)).toBe(200);
    expect(payment.settledAmount).toBe(2_000);
    expect(voided.body.payment).toMatchObject({ status: 'voided', refundedAmount: 0, settledAmount: null });
    expect((await world.opn(`/charges/${payment.chargeId}`)).body).toMatchObject({ voided: true });
    // The void's webhook and a later read (the charge still says what was captured) leave nothing settled.
    await world.flushWebhooks();
    expect((await ops(`/payments/${payment.id}/check`, {})).body.payment).toMatchObject({ status: 'voided', settledAmount: null });
  });

  it('follows a refund made in the Opn dashboard (its refund.create event)', async () => {
    await open();
    const payment = await paidOpn('kakaopay', 150_000);
    const made = await world.opn(`/charges/${payment.chargeId}/refunds`, { method: 'POST', json: { amount: 5_000 } });
    expect(made.status).toBe(200);
    await world.flushWebhooks();
    expect((await ops(`/payments/${payment.id}`)).body.payment).toMatchObject({ status: 'partially_refunded', refundedAmount: 5_000 });
  });

  it('expires a pending KMA payment early, and only a pending one', async () => {
    await open();
    const res = await world.createPayment(world.order(150_000), 'mobile_banking_bay');
    const expired = await ops(`/payments/${res.body.paymentId}/expire`, {});
    expect(expired.status, JSON.stringify(expired.body)).toBe(200);
    expect(expired.body.payment).toMatchObject({ status: 'expired' });
    const again = await ops(`/payments/${res.body.paymentId}/expire`, {});
    expect(again.body.error).toMatchObject({ code: 'operation_not_allowed', message: expect.stringContaining('pending') });
  });

  it('captures or reverses KakaoPay charged with capture: false (manualCapture)', async () => {
    await open({ checkout: { opn: { manualCapture: true } } });
    const [a, b] = [await paidOpn('kakaopay', 150_000), await paidOpn('kakaopay', 80_000)];
    expect(a.status).toBe('authorized');
    expect((await world.opn(`/charges/${a.chargeId}`)).body).toMatchObject({ capture: false, authorized: true, capturable: true });
    expect(world.hooks.onPaid).toEqual([]);

    const captured = await ops(`/payments/${a.id}/capture`, {});
    expect(captured.body.payment).toMatchObject({ status: 'succeeded', settledAmount: 150_000 });
    expect(world.hooks.onPaid.map((p) => p.id)).toEqual([a.id]);
    const reversed = await ops(`/payments/${b.id}/reverse`, {});
    expect(reversed.body.payment).toMatchObject({ status: 'canceled' });
    expect((await ops(`/payments/${a.id}/reverse`, {})).body.error.code).toBe('operation_not_allowed');
  });
});


describe('K-Payment cards', () => {
  it('voids a card payment before settlement: the record says voided although K-Payment sends no notify', async () => {
    await open({ kpayment: true });
    const payment = await paidCard();
    const detail = (await ops(`/payments/${payment.id}`)).body;
    expect(detail.operations.map((o: { name: string; allowed: boolean }) => [o.name, o.allowed])).toEqual([['refund', false], ['void', true], ['settle', true]]);
    const voided = await ops(`/payments/${payment.id}/void`, { reason: 'customer cancelled' });
    expect(voided.status, JSON.stringify(voided.body)).toBe(200);
    expect(voided.body.payment).toMatchObject({ status: 'voided' });
    expect((await kpaymentApi(world, `/card/v2/charge/${payment.chargeId}`)).body).toMatchObject({ transaction_state: 'Voided' });
    expect(voided.body.events.find((e: { type: string; toStatus: string }) => e.type === 'status_changed' && e.toStatus === 'voided')).toMatchObject({ source: 'operations', detail: { operation: 'void', by: 'ops-carol' } });
  });

  it('settles, refuses a refund the same day with the gateway\'s code and what to do, then refunds in parts from the next day', async () => {
    await open({ kpayment: true });
    const payment = await paidCard(150_000);
    const settled = await ops(`/payments/${payment.id}/settle`, {});
    expect(settled.body.payment).toMatchObject({ status: 'succeeded', settledAmount: 150_000 });
    expect(offer(settled.body, 'void')).toMatchObject({ allowed: false });

    // The gateway refuses it (Captured until the next day), and the answer says what to do.
    const early = await ops(`/payments/${payment.id}/refund`, { amount: 50_000 });
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: 'operation_refused', gateway: { code: 'refund_state_invalid' } });
    expect(early.body.error.message).toMatch(/Transaction status is not valid to refund \(Captured\)\. A payment settled today can be refunded from the next day \(Bangkok time\)\./);

    await world.sandbox.clock.advance(DAY);
    const part = await ops(`/payments/${payment.id}/refund`, { amount: 50_000, reason: 'damaged' });
    expect(part.status, JSON.stringify(part.body)).toBe(200);
    expect(part.body.payment).toMatchObject({ status: 'partially_refunded', refundedAmount: 50_000 });
    const rest = await ops(`/payments/${payment.id}/refund`, {});
    expect(rest.body.payment).toMatchObject({ status: 'refunded', refundedAmount: 150_000 });
    const charge = (await kpaymentApi(world, `/card/v2/charge/${payment.chargeId}`)).body;
    expect(charge.refund_info.map((r: { refund_amount: number }) => r.refund_amount)).toEqual([500, 1000]);
  });

  it('settles part of a payment, and refunding what was settled refunds it all (the rest was never taken)', async () => {
    await open({ kpayment: true });
    const payment = await paidCard(150_000);
    expect((await ops(`/payments/${payment.id}/settle`, { amount: 120_000 })).body.payment).toMatchObject({ status: 'succeeded', settledAmount: 120_000 });
    await world.sandbox.clock.advance(DAY);
    const part = await ops(`/payments/${payment.id}/refund`, { amount: 70_000 });
    expect(part.body.payment).toMatchObject({ status: 'partially_refunded', refundedAmount: 70_000 });
    expect(offer(part.body, 'refund')).toMatchObject({ allowed: true, maxAmount: 50_000 });
    const rest = await ops(`/payments/${payment.id}/refund`, { amount: 50_000 });
    expect(rest.body.payment).toMatchObject({ status: 'refunded', refundedAmount: 120_000, settledAmount: 120_000 });
    expect(offer(rest.body, 'refund')).toMatchObject({ allowed: false });
  });

  it('settles by itself at the cut-off when the merchant account does (sandbox setting), and "check now" sees a dashboard refund', async () => {
    await open({ kpayment: true });
    kpaymentSettings(world, { settlement: 'auto' });
    const payment = await paidCard(150_000);
    await world.sandbox.clock.advance(DAY);
    expect((await ops(`/payments/${payment.id}/check`, {})).body.payment).toMatchObject({ settledAmount: 150_000, status: 'succeeded' });

    const refunded = await kpaymentApi(world, `/card/v2/charge/${payment.chargeId}/refund`, { method: 'POST', json: { amount: 100, reason: 'dashboard' } });
    expect(refunded.status).toBe(200);
    const checked = (await ops(`/payments/${payment.id}/check`, {})).body;
    expect(checked.payment).toMatchObject({ status: 'partially_refunded', refundedAmount: 10_000 });
  });
});

describe('K-Payment cards, 180 to 366 days on', () => {
  it('reads and refunds the charge with its own date: made after midnight in Bangkok, the day after its payment began', async () => {
    let now = () => Date.now();
    await open({ kpayment: true, checkout: { now: () => now() } });
    now = () => world.sandbox.clock.now();
    kpaymentSettings(world, { threeDSecure: false });
    // 23:55 in Bangkok (16:55 UTC): the shopper opens the card form, and pays at 00:05, the next Bangkok day.
    const start = world.sandbox.clock.now();
    const evening = new Date(start);
    evening.setUTCHours(16, 55, 0, 0);
    await world.sandbox.clock.advance(((evening.getTime() - start) % DAY + DAY) % DAY);
    const { paymentId, next } = await startCard(world, 150_000);
    await world.sandbox.clock.advance(10 * 60_000);
    await postForm(next.formAction, tokenFields(await cardToken(world, { number: '5431289719925031' }), next.attributes));
    const payment = await world.paymentOf(paymentId);
    const charge = (await kpaymentApi(world, `/card/v2/charge/${payment.chargeId}`)).body;
    expect(payment.status).toBe('succeeded');
    // K-Payment's own time of the charge (`created`, Bangkok), recorded with it: its day is the charge's, not the payment's.
    const bangkokDay = (iso: string) => new Date(Date.parse(iso) + 7 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
    expect(bangkokDay(payment.chargeCreatedAt!)).toBe(String(charge.created).slice(0, 8));
    expect(bangkokDay(payment.chargeCreatedAt!)).not.toBe(bangkokDay(payment.createdAt));

    expect((await ops(`/payments/${payment.id}/settle`, {})).status).toBe(200);
    await world.sandbox.clock.advance(200 * DAY);
    // The read before the refund asks for the charge with its date (K-Payment needs it after 180 days), and so does the refund.
    const refunded = await ops(`/payments/${payment.id}/refund`, { amount: 50_000 });
    expect(refunded.status, JSON.stringify(refunded.body)).toBe(200);
    expect(refunded.body.payment).toMatchObject({ status: 'partially_refunded', refundedAmount: 50_000 });
    expect((await ops(`/payments/${payment.id}/check`, {})).body.payment).toMatchObject({ refundedAmount: 50_000 });
  });
});

describe('K-Payment cards recorded before the charge time was kept', () => {
  it('learn it at their next read, and refund with its date after 180 days', async () => {
    let now = () => Date.now();
    await open({ kpayment: true, checkout: { now: () => now() } });
    now = () => world.sandbox.clock.now();
    const payment = await paidCard(150_000);
    const recorded = payment.chargeCreatedAt;
    expect(recorded).not.toBeNull();
    // As a payment of an earlier version left it: no charge time.
    await world.companion.checkout.store.updatePayment(payment.id, () => ({ patch: { chargeCreatedAt: null }, events: [], result: null }), new Date(now()).toISOString());
    expect((await ops(`/payments/${payment.id}/check`, {})).body.payment).toMatchObject({ chargeCreatedAt: recorded });
    expect((await ops(`/payments/${payment.id}/settle`, {})).status).toBe(200);
    await world.sandbox.clock.advance(200 * DAY);
    expect((await ops(`/payments/${payment.id}/refund`, { amount: 50_000 })).body.payment).toMatchObject({ status: 'partially_refunded', refundedAmount: 50_000 });
  });
});

describe('K-Payment QR', () => {
  async function paidQr(channel: 'kplus' | 'other_bank') {
    const { paymentId, next } = await startQr(world);
    const qrId = await showQr(world, next);
    world.sandbox.kpayment.payQr(world.keys.secretKey, qrId, channel);
    await scriptPostsCharge(world, next, qrId);
    return world.paymentOf(paymentId);
  }

  it('voids a Thai QR paid with K PLUS the same day; another bank\'s is refused with the gateway\'s code; no merchant cancel', async () => {
    await open({ kpayment: true, opn: false });
    const kplus = await paidQr('kplus');
    expect(kplus.status).toBe('succeeded');
    expect(offer((await ops(`/payments/${kplus.id}`)).body, 'cancel')).toMatchObject({ allowed: false, reason: expect.stringContaining('QR id') });
    const voided = await ops(`/payments/${kplus.id}/void`, {});
    expect(voided.status, JSON.stringify(voided.body)).toBe(200);
    expect(voided.body.payment).toMatchObject({ status: 'voided' });

    const other = await paidQr('other_bank');
    const refused = await ops(`/payments/${other.id}/void`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'operation_refused', gateway: { code: 'qr_void', message: expect.stringContaining('EMQRVOTCH') } });
    expect((await world.paymentOf(other.id)).status).toBe('succeeded');
    // The app that paid it does not change: the void is not offered again, with the gateway's reason.
    const after = (await ops(`/payments/${other.id}`)).body;
    expect(offer(after, 'void')).toMatchObject({ allowed: false, reason: expect.stringMatching(/^K-Payment refused to void it: .*EMQRVOTCH/) });
    expect((await ops(`/payments/${other.id}/void`, {})).body.error.code).toBe('operation_not_allowed');
  });
});

describe('bad requests change nothing', () => {
  it.each([
    ['a fractional amount', { amount: 1.5 }],
    ['a string amount', { amount: '100' }],
    ['a negative amount', { amount: -1 }],
    ['an unknown field', { amount: 100, currency: 'USD' }],
    ['an empty reason', { reason: '' }],
  ])('%s is a 400', async (_name, body) => {
    await open();
    const payment = await paidOpn('kakaopay', 150_000);
    const res = await ops(`/payments/${payment.id}/refund`, body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('bad_request');
    expect((await world.paymentOf(payment.id)).status).toBe('succeeded');
    expect((await world.opn(`/charges/${payment.chargeId}/refunds`)).body.data).toEqual([]);
  });

  it('malformed JSON, an amount on a void, an unknown operation, an unknown payment, no token', async () => {
    await open();
    const payment = await paidOpn('kakaopay', 150_000);
    expect((await ops(`/payments/${payment.id}/refund`, undefined, { body: '{"amount":' })).body.error.code).toBe('invalid_json');
    expect((await ops(`/payments/${payment.id}/void`, { amount: 100 })).status).toBe(400);
    expect((await ops(`/payments/${payment.id}/explode`, {})).status).toBe(404);
    expect((await ops(`/payments/pay_${'0'.repeat(32)}/refund`, {})).status).toBe(404);
    const anonymous = await world.api(`/operations/payments/${payment.id}/refund`, { method: 'POST', json: {} });
    expect(anonymous.status).toBe(401);
    expect((await world.paymentOf(payment.id)).status).toBe('succeeded');
    expect((await world.opn(`/charges/${payment.chargeId}/refunds`)).body.data).toEqual([]);
  });
});
