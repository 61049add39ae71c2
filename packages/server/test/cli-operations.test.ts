import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationsToken, paymentsCli } from './support/cli.ts';
import { startQr } from './support/kpayment.ts';
import { type World, startWorld } from './support/world.ts';

/**
 * Issue 9, "Merchant operations": `payments capture`, `reverse` and `cancel`, the real bin against a real companion
 * and sandbox (cli.test.ts covers the other commands): KakaoPay held with `opn({ manualCapture: true })`, then
 * captured or released; and a Thai QR payment the merchant cannot cancel. The exit codes and what a user reads.
 */

const DAVE = { name: 'ops-dave', token: operationsToken() };

/** A world with operations (Dave's token) for a describe: started before its tests, closed after. */
function worldFor(options: Parameters<typeof startWorld>[0]) {
  const held: { world?: World } = {};
  beforeAll(async () => {
    held.world = await startWorld({ ...options, checkout: { ...options?.checkout, operations: { tokens: [DAVE] } } });
  });
  afterAll(async () => {
    await held.world?.close();
  });
  return {
    world: () => held.world!,
    payments: paymentsCli({ url: () => `${held.world!.url}/operations`, token: DAVE.token, secrets: [DAVE.token] }),
  };
}

/** The operations API's answer for a payment, as the test's own check of what the command printed. */
async function detailOf(world: World, id: string) {
  const res = await world.api(`/operations/payments/${id}`, { headers: { authorization: `Bearer ${DAVE.token}` } });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

/** The payment's operations log: [event, operation, who asked], oldest first. */
async function operationLog(world: World, id: string): Promise<[string, string, string][]> {
  const { events } = await detailOf(world, id);
  return events
    .filter((e: { type: string }) => e.type.startsWith('operation_'))
    .map((e: { type: string; detail: { operation: string; by: string } }) => [e.type, e.detail.operation, e.detail.by]);
}

describe('capture and reverse: KakaoPay held at Opn (manualCapture)', { timeout: 60_000 }, () => {
  const { world, payments } = worldFor({ checkout: { opn: { manualCapture: true } } });

  /** A KakaoPay payment the shopper authorised on the sandbox's page: held, not captured. */
  async function authorised(amount = 150_000) {
    const res = await world().createPayment(world().order(amount), 'kakaopay');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    await world().visit(await world().authorize(res.body.next.url, 'successful'));
    const payment = await world().paymentOf(res.body.paymentId);
    expect(payment.status).toBe('authorized');
    return payment;
  }

  it('shows capture and reverse as allowed, then captures: exit 0, succeeded, settled, logged with who asked', async () => {
    const payment = await authorised();
    const shown = await payments(['show', payment.id]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/^Status\s+authorized$/m);
    expect(shown.stdout).toMatch(/^ {2}capture\s+allowed, up to 1,500\.00 THB$/m);
    expect(shown.stdout).toMatch(/^ {2}reverse\s+allowed$/m);
    expect(shown.stdout).toMatch(/^ {2}refund\s+not allowed: Only a paid payment can be refunded; its status is authorized\.$/m);

    const run = await payments(['capture', payment.id]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`capture: ${payment.id} is succeeded.`);
    expect(run.stdout).toMatch(/^Status\s+succeeded$/m);
    expect(run.stdout).toMatch(/^Settled\s+1,500\.00 THB$/m);
    expect(run.stdout).toMatch(/^ {2}capture\s+not allowed: .* captured; its status is succeeded\.$/m);
    expect(run.stdout).toMatch(/^ {2}reverse\s+not allowed: .* reversed; its status is succeeded\.$/m);
    expect(run.stdout).toMatch(/operation_requested\s+operation=capture by=ops-dave/);
    expect(run.stdout).toMatch(/authorized → succeeded/);
    expect(run.stdout).not.toContain(payment.returnToken);
    expect((await world().opn(`/charges/${payment.chargeId}`)).body).toMatchObject({ status: 'successful', capturable: false });
    expect(world().hooks.onPaid.map((p) => p.id)).toContain(payment.id);
  });

  it('captures with --json: the API answer exactly, the payment succeeded', async () => {
    const payment = await authorised(80_000);
    const run = await payments(['capture', payment.id, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const answer = JSON.parse(run.stdout);
    expect(answer.payment).toMatchObject({ id: payment.id, status: 'succeeded', settledAmount: 80_000 });
    // Opn's charge.capture webhook may land after the answer: the answer is the API's detail up to that moment.
    await world().flushWebhooks();
    const after = await detailOf(world(), payment.id);
    expect(answer).toEqual({ ...after, events: after.events.slice(0, answer.events.length) });
    expect(after.events.slice(answer.events.length).every((e: { type: string }) => e.type === 'webhook_received')).toBe(true);
  });

  it('reverses another: exit 0, canceled, released at Opn; a capture after is refused with exit 5 and the reason', async () => {
    const payment = await authorised();
    const reversed = await payments(['reverse', payment.id]);
    expect(reversed.code, reversed.stderr).toBe(0);
    expect(reversed.stdout).toContain(`reverse: ${payment.id} is canceled.`);
    expect(reversed.stdout).toMatch(/^Status\s+canceled$/m);
    expect(reversed.stdout).toMatch(/operation_requested\s+operation=reverse by=ops-dave/);
    expect((await world().opn(`/charges/${payment.chargeId}`)).body).toMatchObject({ status: 'reversed' });

    const late = await payments(['capture', payment.id]);
    expect(late.code).toBe(5);
    expect(late.stdout).toBe('');
    expect(late.stderr).toMatch(/^payments: operation_not_allowed: Only an authorised charge that was not captured yet .* captured; its status is canceled\.$/m);
    expect((await world().paymentOf(payment.id)).status).toBe('canceled');
    expect((await world().opn(`/charges/${payment.chargeId}`)).body).toMatchObject({ status: 'reversed' });
    expect(await operationLog(world(), payment.id)).toEqual([
      ['operation_requested', 'reverse', 'ops-dave'],
      ['operation_succeeded', 'reverse', 'ops-dave'],
      ['operation_requested', 'capture', 'ops-dave'],
      ['operation_failed', 'capture', 'ops-dave'],
    ]);
  });
});

describe('cancel: a Thai QR payment at K-Payment', { timeout: 60_000 }, () => {
  const { world, payments } = worldFor({ kpayment: true, opn: false });

  it('refuses to cancel an unpaid QR with exit 5 and why (the QR id only the shopper sees); the payment is unchanged', async () => {
    const { paymentId } = await startQr(world());
    expect((await world().paymentOf(paymentId)).status).toBe('pending');
    const shown = await payments(['show', paymentId]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/^ {2}cancel\s+not allowed: K-Payment cancels an unpaid QR by its QR id/m);

    const run = await payments(['cancel', paymentId]);
    expect(run.code).toBe(5);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^payments: operation_not_allowed: .*QR id, which only the shopper sees/);
    expect((await world().paymentOf(paymentId)).status).toBe('pending');
    expect(await operationLog(world(), paymentId)).toEqual([
      ['operation_requested', 'cancel', 'ops-dave'],
      ['operation_failed', 'cancel', 'ops-dave'],
    ]);
  });
});
