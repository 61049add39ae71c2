import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, call, newMerchant, startSandbox } from '../../test/test-kit.ts';
import { RETURN_URI, createSource } from '../../test/opn-kit.ts';

/**
 * `failNext: {after: 'commit'}`: Opn did the work and the answer was lost on the way. The client sees the same
 * error as a failure before the request (`failNext` alone), but the charge exists, with the metadata it sent.
 */

let t: Harness;
afterEach(async () => {
  await t.close();
});

const charge = (metadata: Record<string, string>) => ({
  amount: 150000,
  currency: 'THB',
  source: { type: 'mobile_banking_kbank' },
  return_uri: RETURN_URI,
  metadata,
});

describe('a lost answer (failNext after commit)', () => {
  it('creates the charge and answers the injected error in its place; the next request is answered normally', async () => {
    t = await startSandbox();
    const m = newMerchant();
    const set = await call(t.url, '/_sandbox/scenario', { key: m.sk, json: { failNext: { count: 1, status: 502, after: 'commit' } } });
    expect(set.body).toMatchObject({ object: 'scenario', failNext: { count: 1, status: 502, after: 'commit' } });

    const lost = await call(t.url, '/charges', { key: m.sk, json: charge({ payment_id: 'pay_1', order_id: 'order-1' }) });
    expect(lost.status).toBe(502);
    expect(lost.body).toMatchObject({ object: 'error', code: 'internal_error' });
    expect(lost.body.message).toContain('after the request took effect');

    const list = await call(t.url, '/charges', { key: m.sk, query: { order: 'chronological', limit: 100 } });
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(1);
    expect(list.body.data[0]).toMatchObject({ object: 'charge', status: 'pending', amount: 150000, metadata: { payment_id: 'pay_1', order_id: 'order-1' } });
    expect((await call(t.url, '/_sandbox/scenario', { key: m.sk })).body.failNext).toEqual({ count: 0, status: 502, after: 'commit' });
  });

  it('uses up the source it was given, as a charge that was answered would', async () => {
    t = await startSandbox();
    const m = newMerchant();
    const source = await createSource(t.url, m.pk, { type: 'mobile_banking_bay', amount: 150000, currency: 'THB' });
    t.sandbox.opn.setScenario(m.sk, { failNext: { count: 1, status: 500, after: 'commit' } });
    const params = { amount: 150000, currency: 'THB', source: source.id, return_uri: RETURN_URI };
    expect((await call(t.url, '/charges', { key: m.sk, json: params })).status).toBe(500);
    expect((await call(t.url, `/sources/${source.id}`, { key: m.pk })).body.charge_status).toBe('pending');
    // Sending the same create again (a blind retry) is refused: the first one went through.
    expect((await call(t.url, '/charges', { key: m.sk, json: params })).body.code).toBe('used_token');
  });

  it('answers the injected error also when the request itself is refused, which then has no effect', async () => {
    t = await startSandbox();
    const m = newMerchant();
    t.sandbox.opn.setScenario(m.sk, { failNext: { count: 1, status: 503, after: 'commit' } });
    const refused = await call(t.url, '/charges', { key: m.sk, json: { ...charge({}), amount: 1 } });
    expect([refused.status, refused.body.code]).toEqual([503, 'service_unavailable']);
    expect((await call(t.url, '/charges', { key: m.sk })).body.total).toBe(0);
  });

  it('without `after`, the fault comes before the request, which has no effect', async () => {
    t = await startSandbox();
    const m = newMerchant();
    t.sandbox.opn.setScenario(m.sk, { failNext: { count: 1, status: 500 } });
    expect((await call(t.url, '/charges', { key: m.sk, json: charge({ payment_id: 'pay_2' }) })).status).toBe(500);
    expect((await call(t.url, '/charges', { key: m.sk })).body.total).toBe(0);
  });

  it('with `on`, fails only the matching requests: a create whose source was read first', async () => {
    t = await startSandbox();
    const m = newMerchant();
    const source = await createSource(t.url, m.pk, { type: 'mobile_banking_kbank', amount: 150000, currency: 'THB' });
    await call(t.url, '/_sandbox/scenario', { key: m.sk, json: { failNext: { count: 1, status: 500, after: 'commit', on: 'POST /charges' } } });
    // The companion reads the browser's source before it charges it: that read is not the one to fail.
    expect((await call(t.url, `/sources/${source.id}`, { key: m.sk })).status).toBe(200);
    expect((await call(t.url, '/charges', { key: m.sk })).status).toBe(200);
    const params = { amount: 150000, currency: 'THB', source: source.id, return_uri: RETURN_URI, metadata: { payment_id: 'pay_3' } };
    expect((await call(t.url, '/charges', { key: m.sk, json: params })).status).toBe(500);
    const list = await call(t.url, '/charges', { key: m.sk });
    expect(list.body.data.map((c: { metadata: unknown }) => c.metadata)).toEqual([{ payment_id: 'pay_3' }]);
    expect((await call(t.url, '/_sandbox/scenario', { key: m.sk })).body.failNext).toEqual({ count: 0, status: 500, after: 'commit', on: 'POST /charges' });
  });

  it('refuses an unknown `after` or a malformed `on`', async () => {
    t = await startSandbox();
    const m = newMerchant();
    const res = await call(t.url, '/_sandbox/scenario', { key: m.sk, json: { failNext: { count: 1, after: 'answer' } } });
    expect([res.status, res.body.code]).toEqual([400, 'bad_request']);
    expect(res.body.message).toContain('failNext.after');
    const on = await call(t.url, '/_sandbox/scenario', { key: m.sk, json: { failNext: { count: 1, on: '/charges' } } });
    expect([on.status, on.body.message]).toEqual([400, expect.stringContaining('failNext.on')]);
    expect((await call(t.url, '/_sandbox/scenario', { key: m.sk })).body.failNext).toBeUndefined();
  });
});
