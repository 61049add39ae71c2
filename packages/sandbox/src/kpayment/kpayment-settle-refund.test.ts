import { describe, expect, it } from 'vitest';
import { DAY, MINUTE, call, merchantWithout3ds, newMerchant, payWithCard, setSettings, startKpayment, useKpayment } from '../../test/kpayment-kit.ts';

/** The Charge API's void, settle and refund (§6.1): which state allows which, amounts, the refund windows. */

const APPROVE = '4024007134786226'; // VISA 00 (§7.2)
const DECLINE_05 = '4532741632025415'; // VISA 05

const h = useKpayment();
const non3dsMerchant = () => merchantWithout3ds(h.url);

describe('void, settle, refund: the state rules', () => {
  async function authorized(overrides: Record<string, unknown> = {}) {
    const m = await non3dsMerchant();
    const { charge } = await payWithCard(h.url, m, { number: APPROVE }, { amount: 11, ...overrides });
    return { m, charge };
  }
  const post = (key: string, id: string, action: string, json: unknown) => call(h.url, `/card/v2/charge/${id}/${action}`, { key, json });

  it('voids an Authorized charge once; a second void is void_state_invalid', async () => {
    const { m, charge } = await authorized();
    const voided = await post(m.sk, charge.id, 'void', { reason: 'TEST VOID' });
    expect(voided.body).toMatchObject({ id: charge.id, transaction_state: 'Voided', status: 'success', amount: 11 });
    const again = await post(m.sk, charge.id, 'void', { reason: 'TEST VOID' });
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('void_state_invalid');
    expect((await call(h.url, `/card/v2/charge/${charge.id}`, { key: m.sk })).body.transaction_state).toBe('Voided');
  });

  it('needs a reason to void', async () => {
    const { m, charge } = await authorized();
    const res = await post(m.sk, charge.id, 'void', {});
    expect(res.body).toMatchObject({ code: 'mandatory_is_empty', message: expect.stringContaining('reason') });
  });

  it('refuses to void, settle or refund a declined charge', async () => {
    const m = await non3dsMerchant();
    const { charge } = await payWithCard(h.url, m, { number: DECLINE_05 });
    expect((await post(m.sk, charge.id, 'void', { reason: 'x' })).body.code).toBe('void_state_invalid');
    expect((await post(m.sk, charge.id, 'settle', { amount: 200.5, type: 'full' })).body.code).toBe('settle_state_invalid');
    expect((await post(m.sk, charge.id, 'refund', { amount: 1, reason: 'x' })).body.code).toBe('refund_state_invalid');
  });

  it('settles in full to Captured, refuses a void then, and a refund before the next day', async () => {
    const { m, charge } = await authorized();
    const settled = await post(m.sk, charge.id, 'settle', { amount: 11, type: 'full' });
    expect(settled.body).toMatchObject({ transaction_state: 'Captured', status: 'success', settlement_info: { settle_amount: 11, orig_amount: 11, orig_mdr: 0.28, orig_vat: 0.02, orig_net_amount: 10.7 } });
    expect((await post(m.sk, charge.id, 'void', { reason: 'x' })).body.code).toBe('void_state_invalid');
    expect((await post(m.sk, charge.id, 'settle', { amount: 11, type: 'full' })).body.code).toBe('settle_state_invalid');
    expect((await post(m.sk, charge.id, 'refund', { amount: 1, reason: 'x' })).body.code).toBe('refund_state_invalid');
  });

  it('checks settle amounts: not above the charge, full means all of it, partial for less', async () => {
    const { m, charge } = await authorized();
    expect((await post(m.sk, charge.id, 'settle', { amount: 11.01, type: 'partial' })).body.code).toBe('amount_exceed');
    expect((await post(m.sk, charge.id, 'settle', { amount: 5, type: 'full' })).body.code).toBe('invalid_parameter');
    expect((await post(m.sk, charge.id, 'settle', { amount: 5, type: 'half' })).body.code).toBe('invalid_parameter');
    const partial = await post(m.sk, charge.id, 'settle', { amount: 5, type: 'partial' });
    expect(partial.body).toMatchObject({ transaction_state: 'Captured', settlement_info: { settle_amount: 5 } });
  });

  it('becomes Settled the next Bangkok day, then refunds up to the settled amount, in parts, to Refunded', async () => {
    const t = await startKpayment({ startTime: Date.UTC(2024, 5, 1, 10, 0, 0) }); // 17:00 in Bangkok
    try {
      const m = newMerchant();
      await setSettings(t.url, m.sk, { threeDSecure: false });
      const { charge } = await payWithCard(t.url, m, { number: APPROVE }, { amount: 100 });
      const tPost = (action: string, json: unknown) => call(t.url, `/card/v2/charge/${charge.id}/${action}`, { key: m.sk, json });
      await tPost('settle', { amount: 80, type: 'partial' });
      await t.clock.advance(6 * 60 * MINUTE); // 23:00 Bangkok: still the same day
      expect((await call(t.url, `/card/v2/charge/${charge.id}`, { key: m.sk })).body.transaction_state).toBe('Captured');
      await t.clock.advance(61 * MINUTE); // 00:01 the next day
      expect((await call(t.url, `/card/v2/charge/${charge.id}`, { key: m.sk })).body.transaction_state).toBe('Settled');

      expect((await tPost('refund', { amount: 80.01, reason: 'x' })).body).toMatchObject({ code: 'amount_exceed', message: 'Refund amount cannot exceed the available limit' });
      expect((await tPost('refund', { amount: 30 })).body).toMatchObject({ code: 'mandatory_is_empty' });
      const first = await tPost('refund', { amount: 30, reason: 'wrong size' });
      expect(first.body).toMatchObject({ transaction_state: 'Refund Sent', status: 'success', settlement_info: { settle_amount: 80 } });
      expect(first.body.refund_id).toMatch(/^refd_test_[0-9a-f]{35}$/);
      expect(first.body.refund_info).toEqual([expect.objectContaining({ refund_id: first.body.refund_id, refund_amount: 30 })]);
      // Refund Sent is refundable again, for what remains.
      expect((await tPost('refund', { amount: 50.01, reason: 'x' })).body.code).toBe('amount_exceed');
      await t.clock.advance(DAY);
      expect((await call(t.url, `/card/v2/charge/${charge.id}`, { key: m.sk })).body.transaction_state).toBe('Partial Refund');
      const second = await tPost('refund', { amount: 50, reason: 'rest' });
      expect(second.body.transaction_state).toBe('Refund Sent');
      await t.clock.advance(DAY);
      const done = await call(t.url, `/card/v2/charge/${charge.id}`, { key: m.sk });
      expect(done.body.transaction_state).toBe('Refunded');
      expect(done.body.refund_info.map((r: { refund_amount: number }) => r.refund_amount)).toEqual([30, 50]);
      expect((await tPost('refund', { amount: 1, reason: 'x' })).body.code).toBe('refund_state_invalid');
    } finally {
      await t.close();
    }
  });

  it('keeps the refund windows: 180 days without a date, 366 with the creation date, none after', async () => {
    const start = Date.UTC(2023, 0, 10, 3, 0, 0);
    const t = await startKpayment({ startTime: start });
    try {
      const m = newMerchant();
      await setSettings(t.url, m.sk, { threeDSecure: false });
      const { charge } = await payWithCard(t.url, m, { number: APPROVE }, { amount: 100 });
      const tPost = (json: unknown) => call(t.url, `/card/v2/charge/${charge.id}/refund`, { key: m.sk, json });
      await call(t.url, `/card/v2/charge/${charge.id}/settle`, { key: m.sk, json: { amount: 100, type: 'full' } });
      await t.clock.advance(181 * DAY);
      expect((await tPost({ amount: 1, reason: 'x' })).body.code).toBe('refund_transaction_is_not_owed');
      expect((await tPost({ amount: 1, reason: 'x', transaction_date: '20230111' })).body.code).toBe('invalid_parameter');
      expect((await tPost({ amount: 1, reason: 'x', transaction_date: '2023011' })).body.code).toBe('transaction_date_invalid');
      expect((await tPost({ amount: 1, reason: 'x', transaction_date: '20230110' })).body.transaction_state).toBe('Refund Sent');
      // So is the inquiry of a charge that old ("inquiry data more than 6 months", L266, L1566): with its date only.
      const inquire = (path: string) => call(t.url, `/card/v2/charge/${path}`, { key: m.sk });
      expect((await inquire(charge.id)).body).toMatchObject({ code: 'invalid_parameter', message: expect.stringContaining('transaction_date') });
      expect((await inquire(`${charge.id}/20230111`)).body.code).toBe('invalid_parameter');
      expect((await inquire(`${charge.id}/20230110`)).body.transaction_state).toBe('Refund Sent');
      await t.clock.advance(186 * DAY);
      expect((await tPost({ amount: 1, reason: 'x', transaction_date: '20230110' })).body.code).toBe('refund_transaction_is_not_owed');
    } finally {
      await t.close();
    }
  });
});
