import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HookDelivery } from '../../src/common/host.ts';
import { KPAYMENT_SANDBOX_MID } from '../../src/gateways/kpayment/kpayment-options.ts';
import type { Payment } from '../../src/options.ts';
import type { CheckoutServer } from '../../src/server.ts';
import { kpaymentSettings, postForm } from '../support/kpayment.ts';
import { usePostgres } from '../support/postgres.ts';
import { SOAK, sized } from '../support/soak.ts';
import { type StormPost, forgedKpayment, forgedOpn, genuineKpayment, genuineOpn } from '../support/storm-posts.ts';
import { DECISIONS, STATUS_OF, type StormKind, type StormPayment, gatewayStatus, makeStormPayment } from '../support/storm-payments.ts';
import { copiesOf, inPool, seededRandom, shuffle, startCatcher } from '../support/storm.ts';
import { RESULT_URL, type World, startOtherCompanion, startWorld } from '../support/world.ts';

/**
 * Issue 12, "Storm": webhook and notify posts for many payments — the genuine ones duplicated and shuffled, and
 * forgeries of every kind — split over two companions on one SQLite file, then on one PostgreSQL database (two
 * processes: each its own connection or pool), racing the shoppers' returns, status polls and reconciler runs on
 * both. The gateways decided every
 * payment before the storm and delivered nothing themselves: the test owns every post. Afterwards every payment's
 * status is the gateway's, each hook fired once, and each status moved once.
 */

// Per store: bounded, 400 posts for 40 payments (seconds, on a busy 2-core machine); the soak takes the issue's
// full 10,000 posts for 1,000 payments on each.
const PAYMENTS = sized(40, 1_000);
const POSTS = sized(400, 10_000);
/** The share of the posts that are forgeries. */
const FORGED_SHARE = 0.3;
const CONCURRENCY = 16;
/** Reconciler runs on each companion during the storm. */
const RECONCILES = sized(2, 10);
const SEED = Number(process.env.STORM_SEED ?? Math.floor(Math.random() * 2 ** 31));
const KINDS: StormKind[] = ['kplus', 'kma', 'thai_qr', 'card'];

interface HookCall {
  by: 'a' | 'b';
  hook: string;
  key: string;
  paymentId: string;
}

interface Answer {
  action: string;
  kind: string;
  by: 'a' | 'b';
  status: number;
  text: string;
  expected?: number;
}

const cluster = usePostgres();

/** Where the two companions keep their payments: each opens its own connection (pool) to it, as two processes do. */
const STORES: [string, () => Promise<string>][] = [
  ['one SQLite file', async () => join(mkdtempSync(join(tmpdir(), 'checkout-storm-')), 'payments.db')],
  ['one PostgreSQL database', () => cluster().createDatabase('storm')],
];

const recordHooks = (calls: HookCall[], by: 'a' | 'b') => {
  const hook = (name: string) => (payment: Payment, delivery?: HookDelivery) => {
    calls.push({ by, hook: name, key: delivery!.idempotencyKey, paymentId: payment.id });
  };
  return { onPaid: hook('onPaid'), onFailed: hook('onFailed'), onNeedsRefund: hook('onNeedsRefund') };
};

describe.each(STORES)(`storm: ${POSTS} webhook and notify posts for ${PAYMENTS} payments, two companions on %s`, (_name, makeStore) => {
  let world: World;
  let other: CheckoutServer;
  let store: string;
  const hookCalls: HookCall[] = [];

  beforeAll(async () => {
    store = await makeStore();
    world = await startWorld({ kpayment: true, checkout: { store, hooks: recordHooks(hookCalls, 'a') } });
    const webhookSecret = (await world.opn('/_sandbox/opn/webhooks')).body.data[0].secret as string;
    other = await startOtherCompanion(world, store, {
      resultUrl: RESULT_URL,
      opn: { ...world.keys, apiUrl: world.sandboxUrl, webhookSecret },
      kpayment: { ...world.keys, apiUrl: world.sandboxUrl, sandbox: false, mid: KPAYMENT_SANDBOX_MID },
      hooks: recordHooks(hookCalls, 'b'),
      // As the world's companion: every poll asks the gateway, a return waits briefly.
      refreshIntervalMs: 0,
      returnWaitMs: 300,
      returnRetryMs: 50,
    });
  }, 30_000);

  afterAll(async () => {
    await other?.close();
    await world?.close();
    if (!store.startsWith('postgres')) rmSync(dirname(store), { recursive: true, force: true });
  });

  it('leaves every payment as the gateway says, fires each hook once, moves each status once, and answers no 5xx', async () => {
    const started = performance.now();
    const random = seededRandom(SEED);
    console.log(`storm seed ${SEED} (STORM_SEED=${SEED} replays it)`);

    // The gateways deliver nothing themselves: Opn drops its webhooks; K-Payment's notifies go to a catcher,
    // which keeps their exact bytes for the storm.
    await world.scenario({ webhooks: 'drop' });
    const catcher = await startCatcher();
    kpaymentSettings(world, { notifyUrl: catcher.url });

    // 1. The payments, decided at the gateway.
    const plan = Array.from({ length: PAYMENTS }, (_, i) => {
      const kind = KINDS[i % KINDS.length];
      const decisions = DECISIONS[kind];
      return { kind, decision: decisions[Math.floor(i / KINDS.length) % decisions.length] };
    });
    const payments = await inPool(plan, 8, ({ kind, decision }) => makeStormPayment(world, kind, decision));
    await world.sandbox.kpayment.flushNotifications();
    await catcher.close();
    const made = performance.now();

    // 2. The genuine bodies: every Opn event, as its dispatcher would have posted it, and every notify caught.
    const secret = world.keys.secretKey;
    const webhookSecret = (await world.opn('/_sandbox/opn/webhooks')).body.data[0].secret as string;
    const events: string[] = [];
    for (let offset = 0; ; offset += 100) {
      const page = await world.opn<{ data: unknown[]; total: number }>(`/events?limit=100&offset=${offset}`);
      events.push(...page.body.data.map((e) => JSON.stringify(e)));
      if (offset + 100 >= page.body.total) break;
    }
    const notifies = catcher.bodies;
    // Two events per Opn charge (made, then decided, if it was); one notify per Thai QR paid (a declined QR has none,
    // guide L3185) and per card decided.
    const decided = (kinds: StormKind[], decisions: string[]) => payments.filter((p) => kinds.includes(p.kind) && decisions.includes(p.decision)).length;
    expect(events.length).toBe(decided(['kplus', 'kma'], ['paid', 'failed', 'expired', 'pending']) + decided(['kplus', 'kma'], ['paid', 'failed', 'expired']));
    expect(notifies.length).toBe(decided(['thai_qr'], ['paid']) + decided(['card'], ['paid', 'failed']));

    // Another merchant's secrets, from the same sandbox.
    const otherKey = `skey_test_other${SEED}`;
    await world.opn('/_sandbox/opn/webhooks', { key: otherKey, json: { url: 'https://other.example/webhooks' } });
    const otherWebhookSecret = (await world.opn('/_sandbox/opn/webhooks', { key: otherKey })).body.data[0].secret as string;
    expect(otherWebhookSecret).not.toBe(webhookSecret);

    // 3. The posts: each genuine body several times, then forgeries of random genuine bodies, all shuffled.
    const forgedCount = Math.round(POSTS * FORGED_SHARE);
    const genuine = [...events.map((body) => genuineOpn(body, webhookSecret)), ...notifies.map((body) => genuineKpayment(body))];
    const copies = copiesOf(genuine.length, POSTS - forgedCount);
    const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
    const pendingOpn = payments.filter((p) => p.decision === 'pending' && p.chargeId && (p.kind === 'kplus' || p.kind === 'kma'));
    const pendingQr = payments.filter((p) => p.decision === 'pending' && p.kind === 'thai_qr');
    const forgeries: StormPost[] = [];
    while (forgeries.length < forgedCount) {
      forgeries.push(...forgedOpn(pick(events), webhookSecret, otherWebhookSecret, pick(pendingOpn).chargeId!));
      forgeries.push(...forgedKpayment(pick(notifies), secret, otherKey, pick(payments).id, pick(pendingQr).id));
    }
    const posts = [...genuine.flatMap((post, i) => Array.from({ length: copies[i] }, () => post)), ...shuffle(forgeries, random).slice(0, forgedCount)];

    // 4. The storm: posts, returns, polls and reconciler runs, shuffled together, on both companions.
    const companions = { a: world.companion, b: other };
    const side = (): 'a' | 'b' => (random() < 0.5 ? 'a' : 'b');
    type Action = { action: string; run: () => Promise<Answer | Answer[]> };
    const send = (post: StormPost, by: 'a' | 'b') => async (): Promise<Answer> => {
      const res = await fetch(`${companions[by].url}/webhooks/${post.gateway}`, { method: 'POST', headers: { 'content-type': 'application/json', ...post.headers() }, body: post.body });
      return { action: 'post', kind: post.kind, by, status: res.status, text: await res.text(), expected: post.expected };
    };
    const actions: Action[] = posts.map((post) => ({ action: 'post', run: send(post, side()) }));
    for (const payment of payments) {
      for (const by of ['a', 'b'] as const) actions.push({ action: 'poll', run: () => poll(payment, companions[by].url, by) });
      const back = shopperReturn(payment, companions, side());
      if (back) actions.push({ action: 'return', run: back });
    }
    for (let i = 0; i < RECONCILES; i++) {
      for (const by of ['a', 'b'] as const) {
        actions.push({
          action: 'reconcile',
          run: async () => {
            await companions[by].checkout.reconcile({ olderThanMs: 0, limit: PAYMENTS });
            return { action: 'reconcile', kind: 'run', by, status: 200, text: '' };
          },
        });
      }
    }
    shuffle(actions, random);
    const stormStarted = performance.now();
    const answers = (
      await inPool(actions, CONCURRENCY, async ({ action, run }) => {
        try {
          return await run();
        } catch (err) {
          return { action, kind: 'threw', by: 'a' as const, status: 0, text: String(err) };
        }
      })
    ).flat();
    const stormMs = performance.now() - stormStarted;

    // 5. What a merchant would notice.
    const postAnswers = answers.filter((a) => a.action === 'post');
    const failures = answers.filter((a) => a.status >= 500 || a.status === 0);
    expect(failures.slice(0, 5), `${failures.length} answers were 5xx or no answer`).toEqual([]);
    const unexpected = postAnswers.filter((a) => a.status !== a.expected);
    const byKind = new Map<string, string>();
    for (const a of unexpected) byKind.set(`${a.kind} → ${a.status}`, a.text.slice(0, 200));
    expect(Object.fromEntries(byKind), 'posts answered otherwise than documented').toEqual({});
    expect(answers.filter((a) => a.action !== 'post' && a.status >= 400), 'refused returns or polls').toEqual([]);

    const payStore = world.companion.checkout.store;
    const mismatches: string[] = [];
    const moveProblems: string[] = [];
    let webhookEvents = 0;
    for (const payment of payments) {
      const stored = (await payStore.getPayment(payment.id))!;
      const truth = await gatewayStatus(world, payment);
      if (truth !== STATUS_OF[payment.decision]) mismatches.push(`${payment.id} (${payment.kind}, ${payment.decision}): the gateway says ${truth}`);
      if (stored.status !== truth) mismatches.push(`${payment.id} (${payment.kind}, ${payment.decision}): stored ${stored.status}, the gateway says ${truth}`);
      const log = await payStore.listEvents(payment.id);
      webhookEvents += log.filter((e) => e.type === 'webhook_received').length;
      const moves = log.filter((e) => e.type === 'status_changed');
      // One chain of moves, each status entered once, ending where the payment is.
      const chain = moves.every((m, i) => i === 0 || m.fromStatus === moves[i - 1].toStatus);
      const entered = moves.map((m) => m.toStatus);
      if (!chain || new Set(entered).size !== entered.length || (moves.length > 0 && entered.at(-1) !== stored.status)) {
        moveProblems.push(`${payment.id}: ${moves.map((m) => `${m.fromStatus}→${m.toStatus} (${m.source})`).join(', ')}`);
      }
    }
    expect(mismatches, 'final statuses other than the gateway\'s').toEqual([]);
    expect(moveProblems, 'status moves repeated or out of chain').toEqual([]);
    // Every accepted post about a payment left one webhook_received event; no refused post left any.
    const accepted = postAnswers.filter((a) => a.status === 200 && JSON.parse(a.text).paymentId).length;
    expect(webhookEvents).toBe(accepted);

    // Hooks, counted by idempotency key across both companions; the outbox has nothing left to deliver.
    await Promise.all([world.companion.checkout.deliverHooks(), other.checkout.deliverHooks()]);
    const expectedKeys = payments
      .filter((p) => p.decision !== 'pending')
      .map((p) => `${p.id}:${STATUS_OF[p.decision]}:${p.decision === 'paid' ? 'onPaid' : 'onFailed'}`)
      .sort();
    const calls = new Map<string, number>();
    for (const call of hookCalls) calls.set(call.key, (calls.get(call.key) ?? 0) + 1);
    const doubled = [...calls].filter(([, n]) => n > 1).map(([key]) => key);
    const lost = expectedKeys.filter((key) => !calls.has(key));
    const stray = [...calls.keys()].filter((key) => !expectedKeys.includes(key));
    expect({ doubled, lost, stray }).toEqual({ doubled: [], lost: [], stray: [] });
    for (const payment of payments) {
      const rows = await payStore.listHookDeliveries(payment.id);
      expect(rows.every((r) => r.deliveredAt !== null), `${payment.id}'s hook calls all delivered`).toBe(true);
    }

    const forged = postAnswers.filter((a) => a.kind !== 'genuine');
    const figures = {
      store: _name,
      mode: SOAK ? 'soak' : 'bounded',
      seed: SEED,
      payments: PAYMENTS,
      byKind: Object.fromEntries(KINDS.map((k) => [k, payments.filter((p) => p.kind === k).length])),
      genuineBodies: genuine.length,
      posts: postAnswers.length,
      genuinePosts: postAnswers.length - forged.length,
      forgedPosts: forged.length,
      forgedRefused: forged.filter((a) => a.status >= 400 && a.status < 500).length,
      forgedKinds: new Set(forged.map((a) => a.kind)).size,
      returns: answers.filter((a) => a.action === 'return').length,
      polls: answers.filter((a) => a.action === 'poll').length,
      reconcileRuns: answers.filter((a) => a.action === 'reconcile').length,
      postsBy: { a: postAnswers.filter((a) => a.by === 'a').length, b: postAnswers.filter((a) => a.by === 'b').length },
      hooksBy: { a: hookCalls.filter((c) => c.by === 'a').length, b: hookCalls.filter((c) => c.by === 'b').length },
      fivexx: failures.length,
      mismatches: mismatches.length,
      hooksDoubled: doubled.length,
      hooksLost: lost.length,
      setupMs: Math.round(made - started),
      stormMs: Math.round(stormMs),
      totalMs: Math.round(performance.now() - started),
    };
    console.log(`storm figures ${JSON.stringify(figures)}`);
  }, SOAK ? 600_000 : 60_000);
});

/** A status poll, as the checkout page makes it. */
async function poll(payment: StormPayment, base: string, by: 'a' | 'b'): Promise<Answer> {
  const res = await fetch(`${base}/checkout/payments/${payment.id}`);
  return { action: 'poll', kind: payment.kind, by, status: res.status, text: await res.text() };
}

/**
 * The shopper's way back, where there is one: Opn's return URL, the QR script's post of the charge it saw paid
 * or declined, the 3-D Secure page's callback. A QR nobody paid has none (the shopper closed the page).
 */
function shopperReturn(payment: StormPayment, companions: Record<'a' | 'b', CheckoutServer>, by: 'a' | 'b'): (() => Promise<Answer>) | null {
  const base = companions[by].url;
  const token = encodeURIComponent(payment.returnToken);
  const answer = (status: number, text: string): Answer => ({ action: 'return', kind: payment.kind, by, status, text });
  if (payment.kind === 'kplus' || payment.kind === 'kma') {
    return async () => {
      const res = await fetch(`${base}/checkout/return/${payment.id}?token=${token}`, { redirect: 'manual' });
      return answer(res.status === 302 ? 200 : res.status, await res.text());
    };
  }
  if (!payment.chargeId) return null;
  const form: { url: string; fields: Record<string, string> } =
    payment.kind === 'thai_qr'
      ? { url: `${base}/checkout/kpayment/qr/${payment.id}?token=${token}`, fields: { chargeId: payment.chargeId } }
      : { url: `${base}/checkout/kpayment/callback`, fields: { objectId: payment.chargeId, status: 'true' } };
  return async () => {
    const res = await postForm(form.url, form.fields);
    return answer(res.status === 303 ? 200 : res.status, res.text);
  };
}
