import { describe, expect, it } from 'vitest';
import { MID, call, chargeBody, merchantWithout3ds, newMerchant, payWithCard, setSettings, tokenize, useKpayment } from '../../test/kpayment-kit.ts';

/** Remember card (§4.6) and the Customer API (§6.2). */

const CARD = '4485169016314923'; // VISA 00, non 3-D Secure
const OTHER_CARD = '5431289719925031'; // MASTERCARD 00

const h = useKpayment();
const merchant = () => merchantWithout3ds(h.url);

/** Pays with "Remember card" ticked; returns the token, which may then create or extend a customer once. */
async function paidWithSave(m: { pk: string; sk: string }, number = CARD) {
  const { token, charge } = await payWithCard(h.url, m, { number, savecard: true, name: 'Somrak Raktrakoon' }, { savecard: true });
  expect(charge.transaction_state).toBe('Authorized');
  return token;
}

const createCustomer = (sk: string, token?: string) =>
  call(h.url, '/card/v2/customer', { key: sk, json: { email: 'somrak@example.com', name: 'Somrak Raktrakoon', mode: 'token', token } });

describe('create customer', () => {
  it('creates a customer with the card of a successful charge with savecard', async () => {
    const m = await merchant();
    const token = await paidWithSave(m);
    const res = await createCustomer(m.sk, token);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      object: 'customer',
      email: 'somrak@example.com',
      name: 'Somrak Raktrakoon',
      livemode: false,
      cards: [{ object: 'card', brand: 'VISA', name: 'Somrak Raktrakoon', card_masking: '448516*****4923', expired: '20991231000000000' }],
    });
    expect(res.body.id).toMatch(/^cust_test_[0-9a-f]{35}$/);
    expect(res.body.default_card).toBe(res.body.cards[0].id);
    expect(res.body.created).toMatch(/^\d{17}$/);
  });

  it('allows that extra use of the token once (used_token after)', async () => {
    const m = await merchant();
    const token = await paidWithSave(m);
    expect((await createCustomer(m.sk, token)).status).toBe(200);
    const again = await createCustomer(m.sk, token);
    expect(again.body).toMatchObject({ code: 'used_token' });
  });

  it('refuses the token of a declined charge (card_not_verified) and of a charge without savecard (used_token)', async () => {
    const m = await merchant();
    const declined = await tokenize(h.url, m.pk, { number: '4532741632025415', savecard: true });
    await call(h.url, '/card/v2/charge', { key: m.sk, json: chargeBody(declined, { savecard: true }) });
    expect((await createCustomer(m.sk, declined)).body).toMatchObject({ code: 'card_not_verified', message: 'Customer ID cannot be generated due to unsuccessful charge' });
    const fresh = await tokenize(h.url, m.pk, { number: CARD });
    expect((await createCustomer(m.sk, fresh)).body.code).toBe('card_not_verified');
    const { token: unsaved } = await payWithCard(h.url, m, { number: CARD });
    expect((await createCustomer(m.sk, unsaved)).body.code).toBe('used_token');
  });

  it('saves the card of a register 3D check (Voided + success)', async () => {
    const m = newMerchant();
    const token = await tokenize(h.url, m.pk, { number: '5404888000072727', savecard: true });
    const charge = await call(h.url, '/card/v2/charge', { key: m.sk, json: chargeBody(token, { mode: 'register3d', amount: 1, savecard: true }) });
    expect((await createCustomer(m.sk, token)).body.code).toBe('card_not_verified');
    h.controls.authenticate(m.sk, charge.body.id, '123456');
    expect((await createCustomer(m.sk, token)).body.cards).toHaveLength(1);
  });

  it('checks the fields: email and name mandatory, mode token', async () => {
    const m = await merchant();
    expect((await call(h.url, '/card/v2/customer', { key: m.sk, json: { name: 'A', mode: 'token' } })).body).toMatchObject({ code: 'mandatory_is_empty', message: expect.stringContaining('email') });
    expect((await call(h.url, '/card/v2/customer', { key: m.sk, json: { email: 'a@b.co', name: 'A', mode: 'card' } })).body.code).toBe('invalid_parameter');
    const empty = await call(h.url, '/card/v2/customer', { key: m.sk, json: { email: 'a@b.co', name: 'A', mode: 'token' } });
    expect(empty.body).toMatchObject({ cards: [], default_card: null });
  });
});

describe('inquiry, update, delete', () => {
  it('lists the cards with `number`, updates by POST and by PATCH, and deletes', async () => {
    const m = await merchant();
    const created = (await createCustomer(m.sk, await paidWithSave(m))).body;
    const inquiry = await call(h.url, `/card/v2/customer/${created.id}`, { key: m.sk });
    expect(inquiry.body).toMatchObject({ id: created.id, object: 'customer', cards: [{ id: created.default_card, brand: 'VISA', number: '448516*****4923' }] });
    expect(inquiry.body.cards[0].card_masking).toBeUndefined();

    const patched = await call(h.url, `/card/v2/customer/${created.id}`, { key: m.sk, method: 'PATCH', json: { email: 'new@example.com', name: 'somrak rakdee' } });
    expect(patched.body).toMatchObject({ email: 'new@example.com', name: 'somrak rakdee' });
    const posted = await call(h.url, `/card/v2/customer/${created.id}`, { key: m.sk, json: { email: 'post@example.com' } });
    expect(posted.body).toMatchObject({ email: 'post@example.com', name: 'somrak rakdee' });
    expect((await call(h.url, `/card/v2/customer/${created.id}`, { key: m.sk, json: { name: 'x' } })).body.code).toBe('mandatory_is_empty');
    expect((await call(h.url, `/card/v2/customer/${created.id}`, { key: m.sk, json: { email: 'a@b.co', default_card: 'card_test_x' } })).body.code).toBe('card_invalid');

    const deleted = await call(h.url, `/card/v2/customer/${created.id}`, { key: m.sk, method: 'DELETE' });
    expect(deleted.body).toEqual({ id: created.id, object: 'customer', deleted: true, livemode: false });
    const gone = await call(h.url, `/card/v2/customer/${created.id}`, { key: m.sk });
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ object: 'error', code: 'customer_invalid', message: 'Customer ID is invalid or does not exist' });
  });

  it('tells another merchant the customer is not theirs (customer_authen_fail)', async () => {
    const m = await merchant();
    const created = (await createCustomer(m.sk, await paidWithSave(m))).body;
    const res = await call(h.url, `/card/v2/customer/${created.id}`, { key: newMerchant().sk });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('customer_authen_fail');
  });
});

describe('cards of a customer', () => {
  it('adds a card from another saved-card charge, keeps one card per number, and deletes a card', async () => {
    const m = await merchant();
    const customer = (await createCustomer(m.sk, await paidWithSave(m))).body;
    const added = await call(h.url, `/card/v2/customer/${customer.id}/card`, { key: m.sk, json: { mode: 'token', token: await paidWithSave(m, OTHER_CARD) } });
    expect(added.body.cards.map((c: { number: string }) => c.number)).toEqual(['448516*****4923', '543128*****5031']);
    expect(added.body.default_card).toBe(customer.default_card);
    const same = await call(h.url, `/card/v2/customer/${customer.id}/card`, { key: m.sk, json: { mode: 'token', token: await paidWithSave(m, CARD) } });
    expect(same.body.cards).toHaveLength(2);

    const removed = await call(h.url, `/card/v2/customer/${customer.id}/card/${customer.default_card}`, { key: m.sk, method: 'DELETE' });
    expect(removed.body).toEqual({ id: customer.default_card, object: 'card', livemode: false, deleted: true });
    const after = await call(h.url, `/card/v2/customer/${customer.id}`, { key: m.sk });
    expect(after.body.cards.map((c: { number: string }) => c.number)).toEqual(['543128*****5031']);
    expect(after.body.default_card).toBe(after.body.cards[0].id);
    expect((await call(h.url, `/card/v2/customer/${customer.id}/card/${customer.default_card}`, { key: m.sk, method: 'DELETE' })).body.code).toBe('card_invalid');
  });
});

describe('paying again with a saved card (§4.6 c)', () => {
  it('charges mode customer with customer_id + card_id, and refuses a card of another customer', async () => {
    const m = await merchant();
    const customer = (await createCustomer(m.sk, await paidWithSave(m))).body;
    const other = (await createCustomer(m.sk, await paidWithSave(m, OTHER_CARD))).body;
    const body = { amount: 42, currency: 'THB', description: 'again', source_type: 'card', mode: 'customer', reference_order: `R${Date.now()}`, additional_data: { mid: MID } };
    const ok = await call(h.url, '/card/v2/charge', { key: m.sk, json: { ...body, customer: { customer_id: customer.id, card_id: customer.default_card } } });
    expect(ok.body).toMatchObject({ transaction_state: 'Authorized', amount: 42, source: { id: customer.default_card, card_masking: '448516*****4923' } });
    const wrong = await call(h.url, '/card/v2/charge', { key: m.sk, json: { ...body, customer: { customer_id: customer.id, card_id: other.default_card } } });
    expect(wrong.body.code).toBe('card_invalid');
  });

  it('goes through 3-D Secure again on a 3-D Secure merchant', async () => {
    const m = await merchant();
    const customer = (await createCustomer(m.sk, await paidWithSave(m))).body;
    await setSettings(h.url, m.sk, { threeDSecure: true });
    const res = await call(h.url, '/card/v2/charge', {
      key: m.sk,
      json: { amount: 42, currency: 'THB', description: 'again', source_type: 'card', mode: 'customer', reference_order: 'R2', additional_data: { mid: MID }, customer: { customer_id: customer.id, card_id: customer.default_card } },
    });
    expect(res.body.transaction_state).toBe('Pre-Authorized');
    expect(h.controls.authenticate(m.sk, res.body.id, '123456').transaction_state).toBe('Authorized');
  });

  it('tokenises a saved card for the card form (data-customer-id) and charges it with its customer_id', async () => {
    const m = await merchant();
    const customer = (await createCustomer(m.sk, await paidWithSave(m))).body;
    const token = await call(h.url, '/ui/v2/token', { key: m.pk, json: { customer_id: customer.id, card_id: customer.default_card } });
    expect(token.body).toMatchObject({ object: 'token', card: { id: customer.default_card, card_masking: '448516*****4923' } });
    const missing = await call(h.url, '/card/v2/charge', { key: m.sk, json: chargeBody(token.body.id) });
    expect(missing.body).toMatchObject({ code: 'mandatory_is_empty', message: expect.stringContaining('customer.customer_id') });
    const ok = await call(h.url, '/card/v2/charge', { key: m.sk, json: chargeBody(token.body.id, { customer: { customer_id: customer.id } }) });
    expect(ok.body).toMatchObject({ transaction_state: 'Authorized', source: { id: customer.default_card } });
    const stranger = await call(h.url, '/ui/v2/token', { key: newMerchant().pk, json: { customer_id: customer.id, card_id: customer.default_card } });
    expect(stranger.body.code).toBe('customer_authen_fail');
  });
});
