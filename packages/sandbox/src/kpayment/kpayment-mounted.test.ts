import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type ListeningSandbox, type Sandbox } from '../index.ts';

// The K-Payment emulator answers on the same sandbox, port and clock as the Opn one.
describe('K-Payment emulator mounted in createSandbox', () => {
  let sandbox: Sandbox;
  let server: ListeningSandbox;
  beforeAll(async () => {
    sandbox = createSandbox();
    server = await sandbox.listen(0);
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('serves kpayment.min.js and the card API beside Opn', async () => {
    const script = await fetch(`${server.url}/ui/v2/kpayment.min.js`);
    expect(script.status).toBe(200);
    expect(await script.text()).toContain('KPayment');

    const noKey = await fetch(`${server.url}/card/v2/charge/chrg_test_missing`);
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({ object: 'error', code: 'authentication_failure' });

    const unknown = await fetch(`${server.url}/card/v2/charge/chrg_test_missing`, { headers: { 'x-api-key': 'skey_test_mounted' } });
    expect(unknown.status).toBe(404);

    const opn = await fetch(`${server.url}/charges`, { headers: { authorization: `Basic ${Buffer.from('skey_test_mounted:').toString('base64')}` } });
    expect(await opn.json()).toMatchObject({ object: 'list', total: 0 });
  });

  it('serves the Order and QR APIs, the QR simulator and the redirect pages on the same app, in-process controls included', async () => {
    const key = { 'x-api-key': 'skey_test_mounted', 'content-type': 'application/json' };
    const order = await fetch(`${server.url}/qr/v2/order`, {
      method: 'POST',
      headers: key,
      body: JSON.stringify({ amount: 10, currency: 'THB', description: 'mounted', source_type: 'qr', reference_order: 'MOUNTED-1' }),
    }).then((r) => r.json());
    expect(order).toMatchObject({ object: 'order', status: 'success' });
    const qr = sandbox.kpayment.payQr('skey_test_mounted', order.id);
    expect(qr).toMatchObject({ state: 'paid', charge_id: expect.stringMatching(/^chrg_test_/) });
    expect(await fetch(`${server.url}/qr/v2/qr/${order.id}`, { headers: key }).then((r) => r.json())).toMatchObject({ id: qr.charge_id, transaction_state: 'Authorized' });
    expect((await fetch(`${server.url}/_sandbox/kpayment/qr-simulator?qr=${qr.id}`)).status).toBe(200);
    expect((await fetch(`${server.url}/qr/v2/nothing`, { headers: key })).status).toBe(404);
    const alipay = await fetch(`${server.url}/card/v2/charge`, {
      method: 'POST',
      headers: key,
      body: JSON.stringify({ amount: 15, currency: 'THB', description: 'mounted', source_type: 'alipay', reference_order: 'MOUNTED-2' }),
    }).then((r) => r.json());
    expect((await fetch(alipay.redirect_url)).status).toBe(200);
  });

  it('lists both gateways on its index', async () => {
    const index = (await (await fetch(`${server.url}/`)).json()) as { kpayment: { kpayment_js: string; qr_simulator: string; endpoints: string[] }; opn: { omise_js: string } };
    expect(index.kpayment.kpayment_js).toBe(`${server.url}/ui/v2/kpayment.min.js`);
    expect(index.kpayment.qr_simulator).toBe(`${server.url}/_sandbox/kpayment/qr-simulator`);
    expect(index.kpayment.endpoints).toContain('POST /qr/v2/order {source_type: qr|wechat}');
    expect(index.opn.omise_js).toBe(`${server.url}/omise.js`);
  });

  it('has in-process K-Payment controls', () => {
    expect(sandbox.kpayment.settings('skey_test_mounted')).toMatchObject({ threeDSecure: expect.any(Boolean) });
  });
});
