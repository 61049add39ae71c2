import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scriptPostsCharge, showQr, startCard, startQr } from '../support/kpayment.ts';
import { type World, startWorld } from '../support/world.ts';

/**
 * No secret in any byte a browser can get, nor in the logs (issue 12, "Secrets"): the gateways' secret key (K-Payment
 * signs its notifies with it too), the Opn webhook secret and the operations token, looked for in every answer of the shopper's routes along
 * the ways a payment goes (config, each kind of start, status, return, QR post-back, refusals and error pages), in
 * the redirects' locations, and in every log line written meanwhile.
 */

const OPERATOR = { name: 'ops-secrets', token: 's'.repeat(43) };

let world: World;
const seen: { what: string; text: string }[] = [];
beforeAll(async () => {
  world = await startWorld({ kpayment: true, checkout: { operations: { tokens: [OPERATOR] } } });
});
afterAll(async () => {
  await world.close();
});

/** Keeps what a browser got: the body and every header (a redirect's location among them). */
function keep(what: string, res: { status: number; text: string; headers?: Headers; location?: string | null }): void {
  const headers = res.headers ? JSON.stringify([...res.headers.entries()]) : '';
  seen.push({ what, text: `${res.status} ${res.location ?? ''} ${headers} ${res.text}` });
}

describe('secrets', () => {
  it('reach no answer of the shopper\'s routes, no redirect and no log line, along every way a payment goes', async () => {
    const orderId = world.order(150_000);
    keep('config', await world.api(`/checkout/config?orderId=${orderId}`));
    keep('config in Thai', await world.api(`/checkout/config?orderId=${orderId}&locale=th`));
    keep('texts', await world.api('/checkout/texts?locale=ja'));

    const kplus = await world.createPayment(orderId, 'mobile_banking_kbank');
    keep('K PLUS start', kplus);
    keep('K PLUS status', await world.api(`/checkout/payments/${kplus.body.paymentId}`));
    const back = await world.visit(await world.authorize(kplus.body.next.url, 'successful'));
    keep('K PLUS return', back);
    keep('paid order config', await world.api(`/checkout/config?orderId=${orderId}`));

    const card = await startCard(world);
    keep('card start', { status: 201, text: JSON.stringify(card) });
    const qr = await startQr(world);
    keep('QR start', { status: 201, text: JSON.stringify(qr) });
    const qrId = await showQr(world, qr.next);
    world.sandbox.kpayment.payQr(world.keys.secretKey, qrId, 'kplus');
    keep('QR post-back', await scriptPostsCharge(world, qr.next, qrId));
    keep('QR post-back into a frame', await scriptPostsCharge(world, qr.next, qrId, { 'sec-fetch-dest': 'iframe' }));

    // Refusals and error pages.
    keep('bad JSON', await world.api('/checkout/payments', { body: '{', headers: { 'content-type': 'application/json' } }));
    keep('unknown order', await world.createPayment('no-such-order', 'mobile_banking_kbank'));
    keep('unknown payment', await world.api('/checkout/payments/pay_00000000000000000000000000000000'));
    keep('return with a wrong token', await world.visit(`${world.url}/checkout/return/${kplus.body.paymentId}?token=wrong`, { accept: 'text/html' }));
    keep('forged webhook', await world.api('/webhooks/opn', { json: { key: 'charge.complete', data: { id: 'chrg_test_forged', object: 'charge' } } }));
    keep('forged notify', await world.api('/webhooks/kpayment', { json: { id: 'chrg_test_forged', object: 'charge', checksum: 'x' } }));
    keep('operations without its token', await world.api('/operations/payments'));
    await world.flushWebhooks();

    expect(seen.length).toBeGreaterThan(15);
    // The net holds what it should: the public key, which the browser needs, is in the answers it kept.
    expect(seen.some(({ text }) => text.includes(world.keys.publicKey))).toBe(true);
    // The webhook secret the companion took from the sandbox at start (it signs every Opn webhook).
    const endpoints = (await world.opn<{ data: { url: string; secret: string }[] }>('/_sandbox/opn/webhooks')).body.data;
    const webhookSecret = endpoints.find((e) => e.url.startsWith(world.url))?.secret;
    expect(webhookSecret).toEqual(expect.any(String));
    for (const secret of [world.keys.secretKey, webhookSecret!, OPERATOR.token]) {
      for (const { what, text } of seen) expect(text.includes(secret), `${what} holds a secret`).toBe(false);
      for (const line of world.logs) expect(JSON.stringify(line).includes(secret), `log "${line.message}" holds a secret`).toBe(false);
    }
  });

  it('are in no file of the element a page loads (the script-tag file and its chunks, as `npm run build` made them)', () => {
    const dir = join(dirname(fileURLToPath(import.meta.url)), '../../../element/dist/browser');
    const files = existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js')) : [];
    expect(files.length, `no built element in ${dir}: run \`npm run build\` first`).toBeGreaterThan(3);
    for (const file of files) expect(readFileSync(join(dir, file), 'utf8'), file).not.toMatch(/skey_|Bearer [A-Za-z0-9]/);
  });
});
