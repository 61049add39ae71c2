import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationsToken, paymentsCli, startScriptedApi } from './support/cli.ts';
import { cardToken, kpaymentSettings, postForm, startCard, tokenFields } from './support/kpayment.ts';
import type { NewPayment, PaymentRecord } from '../src/store/store.ts';
import { type World, startWorld } from './support/world.ts';

/**
 * Issue 9, "Merchant operations": the `payments` command line, run as a user runs it (the real bin, a child
 * process) against a real companion and sandbox, over the operations API. What is checked is what a user sees:
 * the tables, the JSON, the exit codes, and that the token never shows.
 */

const DAY = 86_400_000;
const ALICE = { name: 'ops-alice', token: operationsToken() };
const BOB = { name: 'ops-bob', token: operationsToken() };

let world: World;
let api: string;
beforeAll(async () => {
  world = await startWorld({ kpayment: true, checkout: { operations: { tokens: [ALICE, BOB] } } });
  api = `${world.url}/operations`;
});
afterAll(async () => {
  await world?.close();
});

/** `payments …` against the world's API with Alice's token; neither token may show in what it prints. */
const payments = paymentsCli({ url: () => api, token: ALICE.token, secrets: [ALICE.token, BOB.token] });

/** An operations API call as the test's own check of what the command printed. */
const ops = async (path: string) => {
  const res = await world.api(`/operations${path}`, { headers: { authorization: `Bearer ${ALICE.token}` } });
  expect(res.status, res.text).toBe(200);
  return res.body;
};

/** A payment written straight into the store, at a chosen time (listing needs several, at known times). */
async function seed(overrides: Partial<NewPayment>): Promise<PaymentRecord> {
  return world.companion.checkout.store.createPayment({
    id: `pay_${randomBytes(16).toString('hex')}`, orderId: world.order(150_000), method: 'card', gateway: 'cli', amount: 150_000,
    currency: 'THB', platform: null, chargeId: null, sourceId: null, status: 'failed', failureCode: null, failureMessage: null,
    returnToken: randomBytes(32).toString('base64url'), authorizeUri: null, createdAt: '2031-05-01T00:00:00.000Z', ...overrides,
  });
}

/** The table's rows (header first) and where a column's cells end, for alignment checks. */
const tableLines = (stdout: string) => stdout.trimEnd().split('\n');

// Describes whose tests share nothing mutable (no sandbox scenario, no clock, no payment another test acts on) run
// them concurrently: a run is mostly the bin starting, about a second.
describe.concurrent('help and usage', { timeout: 60_000 }, () => {
  it('prints the commands and the exit codes for `help`, `--help` and `-h`, exit 0', async () => {
    for (const args of [['help'], ['--help'], ['refund', '-h']]) {
      const run = await payments(args, { PAYMENTS_API_URL: null, PAYMENTS_API_TOKEN: null });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Usage: payments <command>');
      expect(run.stdout).toMatch(/Exit codes:\n {2}0 {2}done/);
      for (const code of ['2  usage error', '3  unauthorized', '4  not found', '5  refused', '6  the gateway']) expect(run.stdout).toContain(code);
      expect(run.stderr).toBe('');
    }
  });

  it.each([
    [[], /No command given/],
    [['pay'], /Unknown command "pay"/],
    [['list', '--colour'], /Unknown option '--colour'/],
    [['list', '--status', 'paid'], /--status: Invalid option/],
    [['list', '--limit', '0'], /--limit:/],
    [['list', '--limit', '101'], /--limit:/],
    [['list', '--from', 'yesterday'], /--from:/],
    [['list', '--method', 'cash'], /--method:/],
    [['list', 'extra'], /Unexpected argument "extra"/],
    [['list', '--limit', '5', '--limit', '6'], /--limit is given more than once/],
    [['refund', 'pay_1', '--amount', '1', '--amount=2'], /--amount is given more than once/],
    [['show'], /payments show needs a payment id/],
    [['show', 'pay_1', 'pay_2'], /Unexpected argument "pay_2"/],
    [['show', 'pay_1', '--amount', '1'], /payments show takes no --amount/],
    [['void', 'pay_1', '--amount', '1'], /payments void takes no --amount/],
    [['refund', 'pay_1', '--amount', '0'], /--amount must be more than 0/],
    [['refund', 'pay_1', '--amount', '0.00'], /--amount must be more than 0/],
    [['refund', 'pay_1', '--amount', '-5'], /--amount/],
    [['refund', 'pay_1', '--amount=-5'], /--amount must be a positive amount/],
    [['refund', 'pay_1', '--amount', '12,50'], /--amount must be a positive amount/],
    [['refund', 'pay_1', '--amount', '1e3'], /--amount must be a positive amount/],
    [['refund', 'pay_1', '--amount', '1.234'], /--amount has too many decimals/],
    [['settle', 'pay_1', '--amount', 'ten'], /--amount must be a positive amount/],
    [['refund', 'pay_1', '--reason', ' '], /--reason: Too small/],
    [['void', 'pay_1', '--reason', 'x'.repeat(256)], /--reason: Too big/],
  ])('refuses %j with exit 2 and sends nothing', async (args, message) => {
    const recorder = await startScriptedApi(() => ({ status: 500, body: { error: { code: 'internal_error', message: 'must not be called' } } }));
    try {
      const run = await payments(args, { PAYMENTS_API_URL: recorder.url });
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toContain('payments help');
      expect(run.stdout).toBe('');
      expect(recorder.requests).toEqual([]);
    } finally {
      await recorder.close();
    }
  });

  it('needs a URL and a token, from the flags or the environment, and takes no credentials in the URL', async () => {
    const noUrl = await payments(['list'], { PAYMENTS_API_URL: null });
    expect([noUrl.code, noUrl.stderr]).toEqual([2, expect.stringContaining('Set PAYMENTS_API_URL (or --url)')]);
    const noToken = await payments(['list'], { PAYMENTS_API_TOKEN: null });
    // No token is unauthorized, as `payments help` says (exit 3), though nothing was sent.
    expect([noToken.code, noToken.stderr]).toEqual([3, expect.stringContaining('Set PAYMENTS_API_TOKEN (or --token)')]);
    const inUrl = await payments(['list', '--url', api.replace('http://', `http://x:${ALICE.token}@`)]);
    expect(inUrl.code).toBe(2);
    expect((await payments(['list', '--url', 'ftp://example.com/operations'])).code).toBe(2);
    expect((await payments(['list', '--url', 'not a url'])).code).toBe(2);
  });
});

describe.concurrent('list', { timeout: 60_000 }, () => {
  const gateway = `cli_${randomBytes(4).toString('hex')}`;
  const at = (minute: number) => `2031-06-01T00:${String(minute).padStart(2, '0')}:00.000Z`;
  let seeded: PaymentRecord[];
  beforeAll(async () => {
    seeded = [
      await seed({ gateway, status: 'succeeded', method: 'card', amount: 150_000, createdAt: at(1) }),
      await seed({ gateway, status: 'failed', method: 'thai_qr', amount: 5, createdAt: at(2) }),
      await seed({ gateway, status: 'pending', method: 'card', amount: 123_456_789, createdAt: at(3) }),
      await seed({ gateway, status: 'succeeded', method: 'card', amount: 1_500, currency: 'JPY', createdAt: at(4) }),
      await seed({ gateway, status: 'expired', method: 'kakaopay', amount: 2_050, currency: 'SGD', createdAt: at(5) }),
    ];
  });

  it('prints an aligned table, newest first, amounts in major units with their currency', async () => {
    const run = await payments(['list', '--gateway', gateway]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const [header, ...rows] = tableLines(run.stdout);
    expect(header).toMatch(/^ID\s+ORDER\s+METHOD\s+STATUS\s+AMOUNT\s+REFUNDED\s+CREATED$/);
    const [thb, tiny, big, jpy] = seeded;
    expect(rows).toHaveLength(5);
    expect(rows[0]).toMatch(new RegExp(`^${seeded[4].id}\\s+${seeded[4].orderId}\\s+kakaopay\\s+expired\\s+20\\.50 SGD\\s+-\\s+2031-06-01 00:05:00Z$`));
    expect(rows[1]).toMatch(new RegExp(`^${jpy.id}\\s+${jpy.orderId}\\s+card\\s+succeeded\\s+1,500 JPY\\s+-\\s+2031-06-01 00:04:00Z$`));
    expect(rows[2]).toMatch(new RegExp(`^${big.id}\\s.*\\s1,234,567\\.89 THB\\s`));
    expect(rows[3]).toMatch(new RegExp(`^${tiny.id}\\s.*\\sthai_qr\\s+failed\\s+0\\.05 THB\\s`));
    expect(rows[4]).toMatch(new RegExp(`^${thb.id}\\s.*\\s1,500\\.00 THB\\s`));
    // Amounts are right-aligned under AMOUNT; the other columns start where their headers start.
    const amountEnds = rows.map((row) => /\d (THB|SGD|JPY)/.exec(row)!.index + 5);
    expect(new Set(amountEnds).size).toBe(1);
    expect(amountEnds[0]).toBe(header.indexOf('AMOUNT') + 'AMOUNT'.length);
    for (const row of rows) expect(row.indexOf('2031-06-01')).toBe(header.indexOf('CREATED'));
    expect(run.stdout).not.toContain('returnToken');
  });

  it('prints the API answer exactly with --json', async () => {
    const run = await payments(['list', '--gateway', gateway, '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(await ops(`/payments?gateway=${gateway}`));
    expect(run.stdout).not.toContain('returnToken');
  });

  it('filters by order, status, method and creation time', async () => {
    const ids = async (...args: string[]) => {
      const run = await payments(['list', '--gateway', gateway, '--json', ...args]);
      expect(run.code, run.stderr).toBe(0);
      return (JSON.parse(run.stdout).data as { id: string }[]).map((p) => p.id);
    };
    expect(await ids('--order', seeded[2].orderId)).toEqual([seeded[2].id]);
    expect(await ids('--status', 'succeeded')).toEqual([seeded[3].id, seeded[0].id]);
    expect(await ids('--method', 'card', '--status', 'pending')).toEqual([seeded[2].id]);
    expect(await ids('--from', at(2), '--to', '2031-06-01T07:04:00+07:00')).toEqual([seeded[2].id, seeded[1].id]);
  });

  it('pages with --limit and --cursor (the next cursor on stderr), and reads every page with --all', async () => {
    const first = await payments(['list', '--gateway', gateway, '--limit', '2']);
    expect(tableLines(first.stdout)).toHaveLength(3);
    const cursor = /--cursor (\S+)/.exec(first.stderr)?.[1];
    expect(cursor).toBeTruthy();
    const second = await payments(['list', '--gateway', gateway, '--limit', '2', '--cursor', cursor!, '--json']);
    expect(JSON.parse(second.stdout).data.map((p: { id: string }) => p.id)).toEqual([seeded[2].id, seeded[1].id]);

    const all = await payments(['list', '--gateway', gateway, '--limit', '2', '--all', '--json']);
    expect(all.code).toBe(0);
    expect(JSON.parse(all.stdout)).toEqual({ data: (await ops(`/payments?gateway=${gateway}`)).data, nextCursor: null });
    const table = await payments(['list', '--gateway', gateway, '--limit', '2', '--all']);
    expect(tableLines(table.stdout)).toHaveLength(6);
    expect(table.stderr).toBe('');
  });

  it('says so when nothing matches', async () => {
    const run = await payments(['list', '--gateway', 'cli_nobody']);
    expect([run.code, run.stdout]).toEqual([0, 'No payments.\n']);
  });
});

describe('show and check', { timeout: 60_000 }, () => {
  it('prints the payment, its operations and its timeline; --json is the API answer', async () => {
    const created = await world.createPayment(world.order(150_000), 'mobile_banking_kbank');
    const payment = await world.paymentOf(created.body.paymentId);
    const run = await payments(['show', payment.id]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Payment\\s+${payment.id}$`, 'm'));
    expect(run.stdout).toMatch(/^Status\s+pending$/m);
    expect(run.stdout).toMatch(/^Amount\s+1,500\.00 THB$/m);
    expect(run.stdout).toMatch(/^Method\s+mobile_banking_kbank \(\w+\)$/m);
    expect(run.stdout).toMatch(/^Operations$/m);
    expect(run.stdout).toMatch(/^Timeline\n\s+AT\s+SOURCE\s+EVENT\s+DETAIL$/m);
    expect(run.stdout).toMatch(/^\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\s+create\s+created\s/m);
    expect(run.stdout).toMatch(/charge_created/);
    expect(run.stdout).toMatch(/created → pending|∅ → pending/);
    expect(run.stdout).not.toContain(payment.returnToken);

    const json = await payments(['show', payment.id, '--json']);
    expect(JSON.parse(json.stdout)).toEqual(await ops(`/payments/${payment.id}`));
  });

  it('exits 4 with the API message for an unknown payment, printing nothing on stdout', async () => {
    const run = await payments(['show', 'pay_00000000000000000000000000000000']);
    expect(run.code).toBe(4);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^payments: not_found: /);
    expect((await payments(['check', 'nonsense/../../x'])).code).toBe(4);
  });

  it('check settles a paid payment whose webhook was lost, recording who asked', async () => {
    await world.scenario({ webhooks: 'drop' });
    try {
      const created = await world.createPayment(world.order(150_000), 'mobile_banking_kbank');
      const payment = await world.paymentOf(created.body.paymentId);
      await world.complete(payment.chargeId!, 'successful');
      await world.flushWebhooks();
      const run = await payments(['check', payment.id], { PAYMENTS_API_TOKEN: BOB.token });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain(`check: ${payment.id} is succeeded.`);
      expect(run.stdout).toMatch(/^Status\s+succeeded$/m);
      expect(run.stdout).toMatch(/operation_requested\s+operation=check by=ops-bob/);
      expect((await world.paymentOf(payment.id)).status).toBe('succeeded');
    } finally {
      await world.scenario({ webhooks: 'normal' });
    }
  });

  it('exits 6 when the gateway does not answer a check (502), and when the companion cannot be reached', async () => {
    const created = await world.createPayment(world.order(150_000), 'mobile_banking_kbank');
    await world.scenario({ failNext: { count: 20, status: 503 } });
    try {
      const run = await payments(['check', created.body.paymentId]);
      expect(run.code).toBe(6);
      expect(run.stderr).toMatch(/^payments: gateway_error: /);
    } finally {
      await world.scenario({ failNext: { count: 0, status: 503 } });
    }
    const closed = await startScriptedApi(() => ({ status: 200, body: {} }));
    await closed.close();
    const unreachable = await payments(['list'], { PAYMENTS_API_URL: closed.url });
    expect(unreachable.code).toBe(6);
    expect(unreachable.stderr).toMatch(/Could not reach the operations API at http:\/\/127\.0\.0\.1:\d+\/operations \(ECONNREFUSED\)/);
  });

  it('says a refund whose connection was lost after it was sent may have happened (exit 6), and a refused connection that it could not reach the API', async () => {
    // The companion read the payment (its currency), then took the refund and stopped before it answered (cut, as by a
    // stop or a proxy).
    const cut = createServer((req, res) =>
      req.resume().on('end', () => {
        if (req.method === 'GET') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ payment: { currency: 'THB' } }));
        else req.socket.destroy();
      }),
    );
    await new Promise<void>((resolve) => cut.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(cut.address() as AddressInfo).port}/operations`;
      const lost = await payments(['refund', `pay_${'1'.repeat(32)}`, '--amount', '100'], { PAYMENTS_API_URL: url });
      expect(lost.code).toBe(6);
      expect(lost.stderr).toMatch(/did not answer \(.+\): the operation may have happened; see `payments show` before trying again/);
      const checked = await payments(['check', `pay_${'1'.repeat(32)}`], { PAYMENTS_API_URL: url });
      expect([checked.code, checked.stderr]).toEqual([6, expect.stringMatching(/the operation may have happened/)]);
    } finally {
      await new Promise((resolve) => cut.close(resolve));
    }
  });
});

describe('money operations', { timeout: 60_000 }, () => {
  /** A K-Payment card payment (no 3-D Secure) paid for a new order. */
  async function paidCard(amount = 150_000) {
    kpaymentSettings(world, { threeDSecure: false });
    const { orderId, paymentId, next } = await startCard(world, amount);
    const token = await cardToken(world, { number: '5431289719925031' });
    expect((await postForm(next.formAction, tokenFields(token, next.attributes))).status).toBe(303);
    expect((await world.paymentOf(paymentId)).status).toBe('succeeded');
    return { orderId, paymentId };
  }
  const operationEvents = async (id: string) => (await world.companion.checkout.store.listEvents(id)).filter((e) => e.source === 'operations');

  it('settles a card payment, then refunds 10.00 THB of it the next day: partially refunded, shown in the payment and the list', async () => {
    const { orderId, paymentId } = await paidCard();
    const before = await payments(['show', paymentId]);
    expect(before.stdout).toMatch(/^ {2}settle\s+allowed, up to 1,500\.00 THB$/m);
    expect(before.stdout).toMatch(/^ {2}refund\s+not allowed: The payment is not settled yet/m);

    const early = await payments(['refund', paymentId, '--amount', '10.00']);
    expect(early.code).toBe(5);
    expect(early.stdout).toBe('');
    expect(early.stderr).toMatch(/^payments: operation_not_allowed: The payment is not settled yet/);

    const settled = await payments(['settle', paymentId]);
    expect(settled.code, settled.stderr).toBe(0);
    expect(settled.stdout).toMatch(/^Settled\s+1,500\.00 THB$/m);

    // Settled today, refundable from the next day: the gateway itself refuses, and says so in its own words.
    const sameDay = await payments(['refund', paymentId, '--amount', '10.00']);
    expect(sameDay.code).toBe(5);
    expect(sameDay.stderr).toMatch(/^payments: operation_refused: .*\n {2}the gateway said: refund_state_invalid: Transaction status is not valid to refund/);
    await world.sandbox.clock.advance(DAY);

    const refund = await payments(['refund', paymentId, '--amount', '10.00', '--reason', 'one cup arrived broken']);
    expect(refund.code, refund.stderr).toBe(0);
    expect(refund.stdout).toContain(`refund: ${paymentId} is partially_refunded.`);
    expect(refund.stdout).toMatch(/^Status\s+partially_refunded$/m);
    expect(refund.stdout).toMatch(/^Refunded\s+10\.00 THB$/m);
    expect(refund.stdout).toMatch(/^ {2}refund\s+allowed, up to 1,490\.00 THB$/m);
    expect(refund.stdout).toMatch(/operation_requested\s+operation=refund by=ops-alice amount=10\.00 THB reason="one cup arrived broken"/);
    expect(await world.paymentOf(paymentId)).toMatchObject({ status: 'partially_refunded', refundedAmount: 1_000 });

    const listed = await payments(['list', '--order', orderId]);
    expect(tableLines(listed.stdout)[1]).toMatch(new RegExp(`^${paymentId}\\s+${orderId}\\s+card\\s+partially_refunded\\s+1,500\\.00 THB\\s+10\\.00 THB\\s`));

    const tooMuch = await payments(['refund', paymentId, '--amount', '1490.01']);
    expect(tooMuch.code).toBe(5);
    expect(tooMuch.stderr).toMatch(/^payments: operation_not_allowed: /);

    const rest = await payments(['refund', paymentId, '--json']);
    expect(rest.code, rest.stderr).toBe(0);
    const answer = JSON.parse(rest.stdout);
    expect(answer).toEqual(await ops(`/payments/${paymentId}`));
    expect(answer.payment).toMatchObject({ status: 'refunded', refundedAmount: 150_000 });
  });

  it('voids an unsettled card payment', async () => {
    const { paymentId } = await paidCard(20_000);
    const run = await payments(['void', paymentId, '--reason', 'customer cancelled']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Status\s+voided$/m);
    expect((await world.paymentOf(paymentId)).status).toBe('voided');
  });

  it('refuses a K PLUS refund with exit 5 and the reason, sending nothing to the gateway', async () => {
    const created = await world.createPayment(world.order(150_000), 'mobile_banking_kbank');
    const payment = await world.paymentOf(created.body.paymentId);
    await world.complete(payment.chargeId!, 'successful');
    await world.flushWebhooks();
    expect((await world.paymentOf(payment.id)).status).toBe('succeeded');
    const run = await payments(['refund', payment.id, '--amount', '10.00']);
    expect(run.code).toBe(5);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^payments: operation_not_allowed: .*cannot void or refund .*K PLUS payments/);
    expect((await operationEvents(payment.id)).map((e) => e.type)).toEqual(['operation_requested', 'operation_failed']);
    expect((await world.paymentOf(payment.id)).status).toBe('succeeded');
  });

  it('expires a pending KMA payment early', async () => {
    const created = await world.createPayment(world.order(150_000), 'mobile_banking_bay');
    const run = await payments(['expire', created.body.paymentId]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`expire: ${created.body.paymentId} is expired.`);
  });

  it('refuses an amount with more decimals than the payment\'s currency (JPY) with exit 2, asking for no operation', async () => {
    const jpy = await seed({ currency: 'JPY', amount: 1_500, status: 'succeeded' });
    const run = await payments(['refund', jpy.id, '--amount', '10.5']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--amount 10\.5: JPY takes at most 0 decimals/);
    expect(await operationEvents(jpy.id)).toEqual([]);
    expect((await payments(['refund', 'pay_00000000000000000000000000000000', '--amount', '10'])).code).toBe(4);
  });

  it('runs the reconciler once', async () => {
    const run = await payments(['reconcile']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Asked the gateways about \d+ live payments?: \d+ updated, \d+ errors?\.$/m);
    const json = await payments(['reconcile', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ checked: expect.any(Number) });
  });
});

describe.concurrent('the token', { timeout: 60_000 }, () => {
  it('exits 3 for a wrong token, from the environment or the flag, without printing it', async () => {
    const wrong = operationsToken();
    const fromEnv = await payments(['list'], { PAYMENTS_API_TOKEN: wrong });
    expect([fromEnv.code, fromEnv.stdout]).toEqual([3, '']);
    expect(fromEnv.stderr).toMatch(/^payments: unauthorized: /);
    expect(fromEnv.stderr).not.toContain(wrong);
    const fromFlag = await payments(['show', 'pay_00000000000000000000000000000000', '--token', wrong]);
    expect(fromFlag.code).toBe(3);
    expect(fromFlag.stderr).not.toContain(wrong);
  });

  it('takes --url and --token over the environment', async () => {
    const run = await payments(['list', '--limit', '1', '--url', api, '--token', BOB.token], { PAYMENTS_API_URL: 'http://127.0.0.1:9/nowhere', PAYMENTS_API_TOKEN: 'x'.repeat(40) });
    expect(run.code, run.stderr).toBe(0);
  });

  it('sends the token as a bearer header and never echoes it, even in an argument it cannot use', async () => {
    const recorder = await startScriptedApi(() => ({ status: 200, body: { data: [], nextCursor: null } }));
    try {
      expect((await payments(['list'], { PAYMENTS_API_URL: recorder.url })).code).toBe(0);
      expect(recorder.requests).toEqual([{ method: 'GET', url: '/operations/payments', authorization: `Bearer ${ALICE.token}`, body: '' }]);
      const echoed = await payments(['list', ALICE.token]);
      expect(echoed.code).toBe(2);
      expect(echoed.stderr).toContain('Unexpected argument "[token]"');
    } finally {
      await recorder.close();
    }
  });
});

describe.concurrent("the API's errors, as scripts see them", { timeout: 60_000 }, () => {
  const PAYMENT = 'pay_0123456789abcdef0123456789abcdef';
  it.each([
    [409, { error: { code: 'operation_refused', message: 'The gateway refused the refund.', gateway: { code: 'failed_refund', message: 'charge is not refundable' } } }, 5, /operation_refused: The gateway refused the refund\.\n {2}the gateway said: failed_refund: charge is not refundable/],
    [409, { error: { code: 'operation_not_allowed', message: 'A failed payment cannot be voided.' } }, 5, /operation_not_allowed: A failed payment cannot be voided\./],
    [502, { error: { code: 'gateway_error', message: 'The payment provider did not answer as expected.' } }, 6, /gateway_error/],
    [500, { error: { code: 'internal_error', message: 'Something went wrong on our side.' } }, 6, /internal_error/],
    [400, { error: { code: 'bad_request', message: 'The request is not valid.', issues: [{ path: 'reason', message: 'Too big', code: 'too_big' }] } }, 1, /bad_request: The request is not valid\.\n {2}reason: Too big/],
    [200, 'not json', 1, /not JSON/],
    [404, '<html>nope</html>', 4, /Is the URL the operations base path/],
  ] as const)('%i %j → exit %i', async (status, body, code, message) => {
    const api = await startScriptedApi(() => ({ status, body }));
    try {
      const run = await payments(['void', PAYMENT, '--reason', 'duplicate order'], { PAYMENTS_API_URL: api.url });
      expect(run.code).toBe(code);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(message);
      expect(api.requests).toEqual([{ method: 'POST', url: `/operations/payments/${PAYMENT}/void`, authorization: `Bearer ${ALICE.token}`, body: '{"reason":"duplicate order"}' }]);
    } finally {
      await api.close();
    }
  });
});
