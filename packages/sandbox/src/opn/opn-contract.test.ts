import { OpnCharge, OpnError, OpnEvent, OpnRefund, OpnSource, opnList } from '@payment-checkout/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Harness, MINUTE, call, newMerchant, startReceiver, startSandbox } from '../../test/test-kit.ts';
import { createCharge, createSource, decide } from '../../test/opn-kit.ts';

/**
 * The contract with the companion's client: everything the sandbox answers parses with core's zod
 * schemas, in every state a charge can reach.
 */

let h: Harness;
beforeAll(async () => {
  h = await startSandbox();
});
afterAll(() => h.close());

it('every source, charge, refund, event, list and error parses with core\'s schemas', async () => {
  const receiver = await startReceiver();
  const m = newMerchant();
  await call(h.url, '/_sandbox/opn/webhooks', { key: m.sk, json: { url: receiver.url } });
  const charges: string[] = [];
  const sources: string[] = [];

  // pending, successful, each failure, expired by the clock and by the API, authorized, captured, reversed, voided, refunded
  for (const type of ['mobile_banking_kbank', 'mobile_banking_bay', 'kakaopay'] as const) {
    const source = await createSource(h.url, m.pk, { type, amount: 150000, currency: 'THB', platform_type: 'ANDROID' });
    expect(OpnSource.parse(source).charge_status).toBe('unknown');
    sources.push(source.id);
    charges.push((await createCharge(h.url, m, { type })).id);
  }
  const outcomes: Array<Record<string, string>> = [
    { action: 'successful' },
    ...['payment_expired', 'payment_rejected', 'failed_processing', 'invalid_account', 'insufficient_fund'].map((failure_code) => ({
      action: 'failed',
      failure_code,
    })),
  ];
  for (const outcome of outcomes) {
    const charge = await createCharge(h.url, m, { type: 'mobile_banking_kbank' });
    await decide(charge.authorize_uri, outcome);
    charges.push(charge.id);
  }
  const kma = await createCharge(h.url, m, { type: 'mobile_banking_bay' });
  await call(h.url, `/charges/${kma.id}/expire`, { key: m.sk, method: 'POST' });
  charges.push(kma.id);
  const timedOut = await createCharge(h.url, m, { type: 'mobile_banking_kbank' });
  charges.push(timedOut.id);

  const refundIds: Array<[string, string]> = [];
  for (const step of ['authorize', 'capture', 'reverse', 'void', 'refund'] as const) {
    const charge = await createCharge(h.url, m, { type: 'kakaopay', currency: 'SGD', capture: step === 'void' || step === 'refund' });
    await decide(charge.authorize_uri, { action: 'successful' });
    if (step === 'capture' || step === 'reverse') await call(h.url, `/charges/${charge.id}/${step}`, { key: m.sk, method: 'POST' });
    if (step === 'void' || step === 'refund') {
      const refund = await call(h.url, `/charges/${charge.id}/refunds`, { key: m.sk, json: { amount: step === 'void' ? 150000 : 100 } });
      const parsed = OpnRefund.parse(refund.body);
      expect(parsed.voided).toBe(step === 'void');
      refundIds.push([charge.id, parsed.id]);
    }
    charges.push(charge.id);
  }
  await h.sandbox.clock.advance(10 * MINUTE);

  const statuses = new Set<string>();
  for (const id of charges) {
    const charge = OpnCharge.parse((await call(h.url, `/charges/${id}`, { key: m.sk })).body);
    statuses.add(charge.status);
    expect(charge.source).not.toBeNull();
  }
  expect([...statuses].sort()).toEqual(['expired', 'failed', 'pending', 'reversed', 'successful']);
  for (const id of sources) OpnSource.parse((await call(h.url, `/sources/${id}`, { key: m.pk })).body);
  for (const [chargeId, refundId] of refundIds) {
    OpnRefund.parse((await call(h.url, `/charges/${chargeId}/refunds/${refundId}`, { key: m.sk })).body);
    opnList(OpnRefund).parse((await call(h.url, `/charges/${chargeId}/refunds`, { key: m.sk })).body);
  }

  const list = opnList(OpnCharge).parse((await call(h.url, '/charges', { key: m.sk, query: { limit: 100 } })).body);
  expect(list.total).toBe(charges.length);
  const events = opnList(OpnEvent).parse((await call(h.url, '/events', { key: m.sk, query: { limit: 100 } })).body);
  const keys = new Set(events.data.map((e) => e.key));
  expect([...keys].sort()).toEqual(['charge.capture', 'charge.complete', 'charge.create', 'charge.expire', 'charge.reverse', 'refund.create']);
  expect(events.data.filter((e) => e.key === 'charge.create').map((e) => e.data.id).sort()).toEqual([...charges].sort());
  for (const event of events.data) {
    OpnEvent.parse((await call(h.url, `/events/${event.id}`, { key: m.sk })).body);
    if (event.data.object === 'charge') OpnCharge.parse(event.data);
    else OpnRefund.parse(event.data);
  }

  // What the webhook endpoint received parses too.
  await h.sandbox.opn.flushWebhooks();
  expect(receiver.requests.length).toBe(events.total);
  for (const request of receiver.requests) OpnEvent.parse(JSON.parse(request.rawBody));
  await receiver.close();

  // Errors.
  for (const res of [
    await call(h.url, '/charges', { key: 'skey_nope' }),
    await call(h.url, '/charges/chrg_test_missing', { key: m.sk }),
    await call(h.url, '/charges', { key: m.sk, json: { amount: 1 } }),
  ]) {
    expect(res.status).toBeGreaterThanOrEqual(400);
    OpnError.parse(res.body);
  }
});
