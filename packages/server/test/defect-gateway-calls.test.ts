import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cardToken, kpaymentSettings, postForm, qrState, showQr, startCard, startQr, threeDSecure, tokenFields } from './support/kpayment.ts';
import { type World, type WorldOptions, queryOf, startWorld } from './support/world.ts';
import { recordGatewayCalls } from './support/gateway-calls.ts';

/**
 * Issue 9, defect 3: what a browser sends (return visits, callbacks, QR completion posts) must not multiply the
 * companion's calls to the gateway. Each gateway request the companion makes is counted by its user agent
 * (gateway-http.ts sets it), through a `fetch` the gateway clients pick up when the world starts.
 */

let calls: string[] = [];
let restoreFetch = () => {};
let world: World | undefined;

beforeEach(() => {
  ({ calls, restore: restoreFetch } = recordGatewayCalls());
});
afterEach(async () => {
  restoreFetch();
  await world?.close();
  world = undefined;
});

/** The budget the tests run with: one browser-triggered call per second per payment, returns wait up to 1.5 s. */
const BUDGET: WorldOptions['checkout'] = { refreshIntervalMs: 1_000, returnWaitMs: 1_500, returnRetryMs: 100 };
const times = <T>(n: number, f: () => Promise<T>) => Promise.all(Array.from({ length: n }, f));

describe('defect 3: gateway calls per payment are bounded whatever the browser sends', () => {
  it('100 concurrent return visits to one pending payment make a handful of retrieves, and a return after paying still lands paid', async () => {
    world = await startWorld({ checkout: BUDGET });
    await world.scenario({ webhooks: 'drop' });
    const res = await world.createPayment(world.order(150_000), 'mobile_banking_kbank');
    const payment = await world.paymentOf(res.body.paymentId);
    const returnUrl = `${world.url}/checkout/return/${payment.id}?token=${encodeURIComponent(payment.returnToken)}`;

    calls.length = 0;
    const visits = await times(100, () => world!.visit(returnUrl));
    expect(visits.map((v) => [v.status, queryOf(v.location).status])).toEqual(Array(100).fill([302, 'pending']));
    const retrieves = calls.filter((c) => c === `GET /charges/${payment.chargeId}`);
    expect(retrieves.length).toBeGreaterThanOrEqual(1);
    expect(retrieves.length).toBeLessThanOrEqual(5);
    expect(calls).toEqual(retrieves);

    // The shopper pays in the bank app (no webhook comes) and comes back: the one visit still finds it paid.
    await world.complete(payment.chargeId!, 'successful');
    calls.length = 0;
    const back = await world.visit(returnUrl);
    expect(queryOf(back.location)).toMatchObject({ payment: payment.id, status: 'succeeded' });
    expect(calls.length).toBeLessThanOrEqual(2);
  });

  it('a shopper returning right after paying on the gateway page sees the paid result (the first fetch waits for the budget)', async () => {
    world = await startWorld({ checkout: BUDGET });
    await world.scenario({ webhooks: 'drop' });
    const res = await world.createPayment(world.order(150_000), 'mobile_banking_kbank');
    // Within the second after creation (which asked the gateway), the return still ends on the paid result.
    const back = await world.visit(await world.authorize(res.body.next.url, 'successful'));
    expect(queryOf(back.location)).toMatchObject({ payment: res.body.paymentId, status: 'succeeded' });
  });

  it('100 concurrent 3-D Secure callbacks with a known objectId make a handful of inquiries, and the genuine one lands paid', async () => {
    world = await startWorld({ kpayment: true, checkout: BUDGET });
    kpaymentSettings(world, { notify: 'drop' });
    const { paymentId, next } = await startCard(world);
    const toBank = await postForm(next.formAction, tokenFields(await cardToken(world, { number: '5404888000072727' }), next.attributes));
    const { chargeId } = await world.paymentOf(paymentId);
    const callbackUrl = `${world.url}/checkout/kpayment/callback`;

    calls.length = 0;
    const answers = await times(100, () => postForm(callbackUrl, { objectId: chargeId!, status: 'true' }));
    expect(answers.map((a) => [a.status, queryOf(a.location).status])).toEqual(Array(100).fill([303, 'pending']));
    const inquiries = calls.filter((c) => c === `GET /card/v2/charge/${chargeId}`);
    expect(inquiries.length).toBeLessThanOrEqual(5);
    expect(calls).toEqual(inquiries);

    const callback = await threeDSecure(toBank.location!, '123456');
    const back = await postForm(callback.action, callback.fields);
    expect(queryOf(back.location)).toEqual({ payment: paymentId, status: 'succeeded' });
  });

  it('100 concurrent QR completion posts make a handful of inquiries and all land paid', async () => {
    world = await startWorld({ kpayment: true, checkout: BUDGET });
    kpaymentSettings(world, { notify: 'drop' });
    const { paymentId, next } = await startQr(world);
    const qrId = await showQr(world, next);
    world.sandbox.kpayment.payQr(world.keys.secretKey, qrId);
    const { charge_id: chargeId } = await qrState(world, qrId);

    calls.length = 0;
    const answers = await times(100, () => postForm(next.formAction, { chargeId: chargeId! }));
    expect(answers.map((a) => [a.status, queryOf(a.location).status])).toEqual(Array(100).fill([303, 'succeeded']));
    expect(calls.length).toBeGreaterThanOrEqual(1);
    expect(calls.length).toBeLessThanOrEqual(5);
    expect(await world.paymentOf(paymentId)).toMatchObject({ status: 'succeeded', chargeId });
  });

  it('polls share the budget: 100 concurrent polls make one call per refresh interval', async () => {
    world = await startWorld({ checkout: BUDGET });
    await world.scenario({ webhooks: 'drop' });
    const res = await world.createPayment(world.order(150_000), 'mobile_banking_kbank');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    calls.length = 0;
    const views = await times(100, () => world!.api(`/checkout/payments/${res.body.paymentId}`));
    expect(views.every((v) => v.status === 200 && v.body.status === 'pending')).toBe(true);
    expect(calls.length).toBeGreaterThanOrEqual(1);
    expect(calls.length).toBeLessThanOrEqual(2);
  });
});
