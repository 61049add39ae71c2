import { signOpnWebhook } from '@payment-checkout/core/signature';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type World, startWorld } from './support/world.ts';

/**
 * Opn's `charge.create` webhook, which Opn sends as it makes the charge, before the create's answer (seed 001's
 * sequence diagram; found by a reading of the seeds against the sandbox, which never sent it). When it comes first,
 * the companion knows no charge id yet: it must read the webhook's charge by its id (not search Opn's charge list),
 * take it only because Opn says it is this payment's, and not record the charge twice when the answer comes.
 */

let world: World;
afterEach(async () => {
  await world?.close();
});

describe("Opn's charge.create webhook", () => {
  it('arriving before the create answer: the charge read by its id (no list search), recorded once', async () => {
    world = await startWorld();
    const client = world.companion.checkout.gateways.opn!.client;
    const listCharges = vi.spyOn(client, 'listCharges');
    const create = client.createCharge.bind(client);
    let delivered = 0;
    client.createCharge = async (...args) => {
      const charge = await create(...args);
      // The answer is still on its way: the webhook is delivered and handled first.
      await world.flushWebhooks();
      delivered = (await world.opn<{ data: { status_code: number }[] }>('/_sandbox/opn/webhook-deliveries')).body.data.length;
      return charge;
    };

    const res = await world.createPayment(world.order(150_000), 'mobile_banking_kbank');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(delivered).toBe(1);
    const payment = await world.paymentOf(res.body.paymentId);
    expect(payment).toMatchObject({ status: 'pending', chargeId: expect.stringMatching(/^chrg_test_/), authorizeUri: res.body.next.url });
    expect(listCharges).not.toHaveBeenCalled();

    const events = await world.companion.checkout.store.listEvents(payment.id);
    expect(events.filter((e) => e.type === 'charge_created').map((e) => [e.source, e.detail])).toEqual([['webhook', { chargeId: payment.chargeId, foundByReference: true }]]);
    expect(events.filter((e) => e.type === 'webhook_received').map((e) => e.detail?.key)).toEqual(['charge.create']);
  });

  it('arriving after the create answer: logged, and Opn is not asked again (it tells nothing new)', async () => {
    world = await startWorld();
    const client = world.companion.checkout.gateways.opn!.client;
    const retrieve = vi.spyOn(client, 'retrieveCharge');
    const res = await world.createPayment(world.order(150_000), 'mobile_banking_kbank');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    await world.flushWebhooks();
    const deliveries = (await world.opn<{ data: { event_key: string; status_code: number }[] }>('/_sandbox/opn/webhook-deliveries')).body.data;
    expect(deliveries.map((d) => [d.event_key, d.status_code])).toEqual([['charge.create', 200]]);
    expect(retrieve).not.toHaveBeenCalled();
    const events = await world.companion.checkout.store.listEvents(res.body.paymentId);
    expect(events.filter((e) => e.type === 'webhook_received').map((e) => e.detail?.key)).toEqual(['charge.create']);
    expect(events.filter((e) => e.type === 'charge_created')).toHaveLength(1);
    // The charge paid: its charge.complete is re-fetched as ever.
    await world.complete((await world.paymentOf(res.body.paymentId)).chargeId!, 'successful');
    await world.flushWebhooks();
    expect(retrieve).toHaveBeenCalledTimes(1);
    expect(await world.paymentOf(res.body.paymentId)).toMatchObject({ status: 'succeeded' });
  });

  it("never takes the webhook's charge for a payment Opn does not name: a signed body that lies is searched past", async () => {
    world = await startWorld();
    const secret = (await world.opn<{ data: { secret: string }[] }>('/_sandbox/opn/webhooks')).body.data[0].secret;
    const client = world.companion.checkout.gateways.opn!.client;
    const create = client.createCharge.bind(client);
    // A genuine charge the companion does not know (made at Opn for another payment), in a body that says it is this
    // payment's (signed with the webhook secret): Opn's own answer still names the other payment.
    const made = await world.opn<{ id: string }>('/charges', {
      json: { amount: 150_000, currency: 'THB', source: { type: 'mobile_banking_kbank' }, return_uri: 'https://shop.example/r', metadata: { payment_id: `pay_${'e'.repeat(32)}` } },
    });
    const otherCharge = made.body.id;
    // Opn's own charge.create is not delivered here: the lie is the only webhook.
    await world.scenario({ webhooks: 'drop' });
    const retrieve = vi.spyOn(client, 'retrieveCharge');
    let answer: [number, string] = [0, ''];
    client.createCharge = async (...args) => {
      const charge = await create(...args);
      const body = JSON.stringify({ object: 'event', id: 'evnt_test_lie', livemode: false, created_at: new Date().toISOString(), key: 'charge.create', data: { object: 'charge', id: otherCharge, metadata: { payment_id: args[0].metadata?.payment_id } } });
      const at = Math.floor(Date.now() / 1000);
      const lie = await fetch(`${world.url}/webhooks/opn`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'omise-signature': signOpnWebhook(body, secret, at), 'omise-signature-timestamp': String(at) },
        body,
      });
      answer = [lie.status, await lie.text()];
      return charge;
    };
    const res = await world.createPayment(world.order(150_000), 'mobile_banking_kbank');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(answer).toEqual([200, expect.stringContaining('"status":"pending"')]);
    expect(retrieve.mock.calls.map(([id]) => id)).toContain(otherCharge);
    const payment = await world.paymentOf(res.body.paymentId);
    expect(payment.chargeId).toMatch(/^chrg_test_/);
    expect(payment.chargeId).not.toBe(otherCharge);
    expect(await world.companion.checkout.store.findPaymentByChargeId(otherCharge)).toBeNull();
  });
});
