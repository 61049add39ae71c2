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

  it('lists both gateways on its index', async () => {
    const index = (await (await fetch(`${server.url}/`)).json()) as { kpayment: { kpayment_js: string }; opn: { omise_js: string } };
    expect(index.kpayment.kpayment_js).toBe(`${server.url}/ui/v2/kpayment.min.js`);
    expect(index.opn.omise_js).toBe(`${server.url}/omise.js`);
  });

  it('has in-process K-Payment controls', () => {
    expect(sandbox.kpayment.settings('skey_test_mounted')).toMatchObject({ threeDSecure: expect.any(Boolean) });
  });
});
