import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/store/sqlite-store.ts';
import { type PaymentChange, type PaymentRecord, type PaymentUpdate, StoreConflictError, type UpdateContext } from '../src/store/store.ts';
import { cardToken, kpaymentSettings, postForm, tokenFields } from './support/kpayment.ts';
import { type World, startWorld } from './support/world.ts';

/**
 * Issue 9, defect 4: a shopper switches back to a method while another process works on the order. The store
 * then refuses to make the superseded payment current again (`live_payment_exists`); the shopper must get the
 * 409 `payment_in_progress` the element shows with "Try again", never a 500, and nothing may have changed.
 */

type Decide<R> = (current: PaymentRecord, context: UpdateContext) => PaymentChange<R> | null;

/** A SQLite store that runs `onResume` once, just before the next write that makes a superseded payment current again. */
class RacingStore extends SqliteStore {
  onResume: ((payment: PaymentRecord) => Promise<void>) | null = null;

  override async updatePayment<R>(id: string, decide: Decide<R>, at: string): Promise<PaymentUpdate<R> | null> {
    const current = await this.getPayment(id);
    const resumes = current?.supersededBy !== null && decide(current!, { paidPayment: null })?.patch.supersededBy === null;
    const race = this.onResume;
    if (resumes && race) {
      this.onResume = null;
      await race(current!);
    }
    return super.updatePayment(id, decide, at);
  }
}

let world: World | undefined;
let store: RacingStore | undefined;
afterEach(async () => {
  await world?.close();
  await store?.close();
  world = store = undefined;
});

async function open(options: { kpayment?: true } = {}) {
  store = new RacingStore({ path: ':memory:' });
  world = await startWorld({ ...options, checkout: { store } });
  return { world, store };
}

/** K PLUS, then KMA (which supersedes K PLUS): the shopper is about to switch back to K PLUS. */
async function switchedToKma(w: World) {
  const orderId = w.order(150_000);
  const kplus = await w.createPayment(orderId, 'mobile_banking_kbank');
  const kma = await w.createPayment(orderId, 'mobile_banking_bay');
  expect([kplus.status, kma.status]).toEqual([201, 201]);
  return { orderId, kplus: await w.paymentOf(kplus.body.paymentId), kma: await w.paymentOf(kma.body.paymentId) };
}

describe('defect 4: a conflict while switching back to a method is a 409 payment_in_progress', () => {
  it('answers 409 payment_in_progress when the store refuses the resume, and changes nothing (the retry then works)', async () => {
    const { world, store } = await open();
    const { orderId, kplus, kma } = await switchedToKma(world);
    expect(kplus.supersededBy).toBe(kma.id);
    store.onResume = async () => {
      throw new StoreConflictError('live_payment_exists', 'the order already has a live payment');
    };

    const back = await world.createPayment(orderId, 'mobile_banking_kbank');
    expect([back.status, back.body.error?.code]).toEqual([409, 'payment_in_progress']);
    expect(back.body.error.message).toMatch(/try again/i);
    // Nothing changed: KMA is still the order's current payment and still payable at the gateway.
    expect(await world.paymentOf(kma.id)).toMatchObject({ status: 'pending', supersededBy: null });
    expect(await world.paymentOf(kplus.id)).toMatchObject({ status: 'pending', supersededBy: kma.id });
    expect((await world.opn(`/charges/${kma.chargeId}`)).body).toMatchObject({ status: 'pending', expired: false });
    expect(world.logs.filter((l) => l.level === 'error')).toEqual([]);

    // "Try again": the switch back now goes through (and only now is the KMA charge ended).
    const again = await world.createPayment(orderId, 'mobile_banking_kbank');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ paymentId: kplus.id, reused: true });
    expect(await world.paymentOf(kplus.id)).toMatchObject({ supersededBy: null });
    expect(await world.paymentOf(kma.id)).toMatchObject({ status: 'expired', supersededBy: kplus.id });
    expect(await world.chargeCount()).toBe(2);
  });

  it('answers 409 payment_in_progress when another process started a payment for the order meanwhile', async () => {
    const { world, store } = await open();
    const { orderId, kplus, kma } = await switchedToKma(world);
    const other = `pay_${randomBytes(16).toString('hex')}`;
    // Another companion process inserts its own payment between this one's supersede and its resume.
    store.onResume = async () => {
      await store.createPayment({
        id: other, orderId, method: 'kakaopay', gateway: 'opn', amount: 150_000, currency: 'THB', platform: null, chargeId: null, sourceId: null,
        status: 'created', failureCode: null, failureMessage: null, returnToken: randomBytes(24).toString('base64url'), authorizeUri: null, createdAt: new Date().toISOString(),
      });
    };

    const back = await world.createPayment(orderId, 'mobile_banking_kbank');
    expect([back.status, back.body.error?.code]).toEqual([409, 'payment_in_progress']);
    // The other process's payment is the order's current one; K PLUS stays superseded; KMA was not ended here.
    expect(await world.paymentOf(other)).toMatchObject({ status: 'created', supersededBy: null });
    expect(await world.paymentOf(kplus.id)).toMatchObject({ status: 'pending', supersededBy: kma.id });
    expect((await world.opn(`/charges/${kma.chargeId}`)).body).toMatchObject({ status: 'pending' });
    expect(world.logs.filter((l) => l.level === 'error')).toEqual([]);
  });
});

describe('defect 4: no other StoreConflictError reaches the generic handler', () => {
  it('a card token already claimed by another card registration is refused with a 4xx, not a 500', async () => {
    const shopper = { id: 'shopper-7', email: 'a@example.com', name: 'A' };
    store = new RacingStore({ path: ':memory:' });
    world = await startWorld({ kpayment: { registrationResultUrl: 'https://shop.example/cards?r={registrationId}' }, checkout: { store, resolveCustomer: () => shopper } });
    kpaymentSettings(world, { threeDSecure: false });
    const start = async () => (await world!.api('/checkout/kpayment/registrations', { json: { orderId: world!.order(1_000) } })).body;
    const first = await start();
    const second = await start();
    const token = await cardToken(world, { number: '4024007134786226', savecard: true });
    await postForm(first.next.formAction, tokenFields(token, first.next.attributes, { savecard: 'true' }));

    const replayed = await postForm(second.next.formAction, tokenFields(token, second.next.attributes, { savecard: 'true' }), { accept: 'application/json' });
    expect(replayed.status).toBeGreaterThanOrEqual(400);
    expect(replayed.status, JSON.stringify(world.logs.filter((l) => l.level === 'error'))).toBeLessThan(500);
    expect(world.logs.filter((l) => l.level === 'error')).toEqual([]);
    expect((await world.api(`/checkout/kpayment/registrations/${second.registrationId}`)).body).toMatchObject({ status: 'pending' });
  });
});
