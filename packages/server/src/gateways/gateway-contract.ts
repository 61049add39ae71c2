import { CheckoutError, NextAction, PaymentMethod, type PaymentMethodId, customerMessage } from '@payment-checkout/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PaymentRecord } from '../store/store.ts';
import { GatewayError, type GatewayStatus, type PaymentGateway, type StartedPayment, type WebhookInput, type WebhookNotice } from './gateway.ts';
import {
  GARBAGE_BODIES,
  RETURN_URI,
  closedPortUrl,
  describeError,
  methodIds,
  methodOf,
  recordStart,
  recordStatus,
  settle,
  startSilentServer,
} from './gateway-contract-kit.ts';

export { type ReceivedWebhook, type WebhookInbox, recordStart, recordStatus, startWebhookInbox, storedPayment } from './gateway-contract-kit.ts';

/**
 * The contract every PaymentGateway adapter must pass, run against the gateway's emulator:
 * `describeGatewayContract('opn (sandbox)', () => ({ gateway, driver, … }))`. Each test gets a fresh
 * gateway (a merchant of its own at the sandbox) from `setup`; `close` runs after it.
 */

/** What the payer does at the gateway: pay, or be declined (with a reason the shopper can be told). */
export type PayerDecision = 'paid' | 'declined';

/** Drives one gateway's emulator as a payer (and the gateway's webhooks) would; the suite stays generic. */
export interface GatewayDriver {
  /** The methods the driver can bring to an outcome (a subset of the gateway's `methods`). */
  readonly methods: readonly PaymentMethodId[];
  /**
   * Takes a payment started with `startPayment` (stored as `recordStart` does) to the payer's decision at the
   * gateway, as the shopper would (authorize page, OTP page, QR app, hosted page). Answers the payment as the
   * companion stores it afterwards (with the charge id once the companion learns it from the gateway).
   */
  complete(payment: PaymentRecord, decision: PayerDecision): Promise<PaymentRecord>;
  /** The webhook the gateway sent about this payment's charge once it was paid, exactly as it arrived. */
  genuineWebhook(payment: PaymentRecord): Promise<WebhookInput>;
  /** Webhooks about this payment's charge that the gateway never sent: wrong key, no proof, stale, … */
  forgedWebhooks(payment: PaymentRecord): Promise<WebhookInput[]>;
  /** Headers that authenticate these exact bytes, for gateways that sign the raw body (Opn); K-Payment's proof is inside the JSON. */
  sign?(rawBody: Buffer): WebhookInput['headers'];
}

export interface GatewayUnderTest {
  /** With its webhook authentication on (Opn: a webhook secret; without one Opn accepts unsigned events by design). */
  gateway: PaymentGateway;
  /** Secrets of this merchant (secret key, webhook secret): none may appear in what goes to a browser. */
  secrets: readonly string[];
  /** A payment row of this gateway as the companion stores it before starting (status `created`). */
  payment(method: PaymentMethodId): PaymentRecord;
  /** A charge id in the gateway's format that it never issued. */
  unknownChargeId(): string;
  /** The same gateway (same merchant) with its API at `apiUrl` and this client timeout: the suite points it at a closed port and a silent server. */
  gatewayAt(apiUrl: string, timeoutMs: number): PaymentGateway;
  driver: GatewayDriver;
  close?(): Promise<void>;
}


export function describeGatewayContract(name: string, setup: () => Promise<GatewayUnderTest> | GatewayUnderTest): void {
  describe(`PaymentGateway contract: ${name}`, () => {
    let t: GatewayUnderTest;
    beforeEach(async () => {
      t = await setup();
    });
    afterEach(async () => {
      await t?.close?.();
    });

    async function start(method: PaymentMethodId, gateway = t.gateway): Promise<{ payment: PaymentRecord; started: StartedPayment }> {
      const payment = t.payment(method);
      const started = await gateway.startPayment({ payment, method: methodOf(gateway, method), returnUri: RETURN_URI, platform: payment.platform });
      return { payment: recordStart(payment, started), started };
    }

    /** A payment of `method` the payer decided at the gateway, with the status the gateway then reports. */
    async function decided(method: PaymentMethodId, decision: PayerDecision): Promise<{ payment: PaymentRecord; state: GatewayStatus }> {
      const { payment } = await start(method);
      const completed = await t.driver.complete(payment, decision);
      const state = await t.gateway.fetchStatus(completed);
      return { payment: recordStatus(completed, state), state };
    }

    /** Whatever a webhook is, it may be refused (a Checkout or Gateway error) or ignored; never pay any charge but `allowed`. */
    async function expectNoPayment(input: WebhookInput, what: string, allowed: string | null = null): Promise<WebhookNotice | null> {
      const read = await settle(t.gateway.readWebhook(input));
      if (!read.ok) {
        expect(read.error instanceof CheckoutError || read.error instanceof GatewayError, `${what}: threw ${describeError(read.error)}`).toBe(true);
        return null;
      }
      if (read.value.kind === 'payment') expect(read.value.chargeId, `${what}: read as a payment of ${read.value.chargeId}`).toBe(allowed);
      return read.value;
    }

    it('offers only catalog methods of its own gateway, and drives only those', () => {
      const { gateway, driver } = t;
      expect(gateway.methods.length).toBeGreaterThan(0);
      expect(new Set(methodIds(gateway)).size).toBe(gateway.methods.length);
      for (const method of gateway.methods) {
        expect(PaymentMethod.safeParse(method).error, method.id).toBeUndefined();
        expect(method.gateway, method.id).toBe(gateway.id);
      }
      expect(driver.methods.length).toBeGreaterThan(0);
      for (const method of driver.methods) expect(methodIds(gateway)).toContain(method);
    });

    it('starts a payment of each method with a next step the element understands, not paid, with no secret in it', async () => {
      for (const method of methodIds(t.gateway)) {
        const { started } = await start(method);
        expect(NextAction.safeParse(started.next).error, method).toBeUndefined();
        expect(['created', 'pending'], method).toContain(started.status);
        // A live payment must give the shopper something to do: a page to go to or a form / QR to show.
        expect(['redirect', 'script_form', 'qr'], method).toContain(started.next.type);
        expect(started.failureCode, method).toBeNull();
        const answer = JSON.stringify(started);
        for (const secret of t.secrets) expect(answer.includes(secret), `${method}: a secret in ${answer}`).toBe(false);
      }
    });

    it('reports a payment the payer paid at the gateway as succeeded, and not before', async () => {
      for (const method of t.driver.methods) {
        const { payment } = await start(method);
        // Nobody has paid yet: the gateway may say pending, or that it has no charge yet (a GatewayError), never paid.
        const before = await settle(t.gateway.fetchStatus(payment));
        if (before.ok) expect(before.value.status, method).not.toBe('succeeded');
        else expect(before.error, `${method}: ${describeError(before.error)}`).toBeInstanceOf(GatewayError);

        const completed = await t.driver.complete(payment, 'paid');
        const state = await t.gateway.fetchStatus(completed);
        expect(state, method).toMatchObject({ status: 'succeeded', failureCode: null });
        // Asking again (the reconciler, a poll) changes nothing.
        expect((await t.gateway.fetchStatus(recordStatus(completed, state))).status, method).toBe('succeeded');
      }
    });

    it('reports a declined payment as failed, with a code the shopper is told something specific about', async () => {
      for (const method of t.driver.methods) {
        const { state } = await decided(method, 'declined');
        expect(state.status, method).toBe('failed');
        expect(state.failureCode, method).toEqual(expect.any(String));
        expect(customerMessage(state.failureCode), `${method}: ${state.failureCode} has only the generic message`).not.toBe(customerMessage('generic'));
        expect(customerMessage(state.failureCode, 'th'), `${method}: ${state.failureCode} (th)`).not.toBe(customerMessage('generic', 'th'));
      }
    });

    it('throws a GatewayError for a charge it never issued, never a status', async () => {
      for (const method of methodIds(t.gateway)) {
        const { payment } = await start(method);
        const unknown = { ...payment, status: 'pending' as const, chargeId: t.unknownChargeId() };
        const read = await settle(t.gateway.fetchStatus(unknown));
        expect(read.ok, `${method}: resolved ${JSON.stringify(read.ok && read.value)}`).toBe(false);
        if (read.ok) continue;
        expect(read.error, `${method}: ${describeError(read.error)}`).toBeInstanceOf(GatewayError);
        expect((read.error as GatewayError).code, method).toEqual(expect.any(String));
        expect((read.error as GatewayError).gateway, method).toBe(t.gateway.id);
      }
    });

    it('reads a genuine webhook as a payment notice about its own charge, the same way twice', async () => {
      for (const method of t.driver.methods) {
        const { payment } = await decided(method, 'paid');
        const webhook = await t.driver.genuineWebhook(payment);
        const notice = await t.gateway.readWebhook(webhook);
        expect(notice, method).toMatchObject({ kind: 'payment', chargeId: payment.chargeId, eventId: expect.any(String) });
        // The event id is what makes a redelivered webhook harmless: it must not change between deliveries.
        const again = await t.gateway.readWebhook({ rawBody: Buffer.from(webhook.rawBody), headers: { ...webhook.headers } });
        expect(again, method).toEqual(notice);
      }
    });

    it('never reads a forged or tampered webhook as a payment of another charge', async () => {
      for (const method of t.driver.methods) {
        const { payment: paid } = await decided(method, 'paid');
        const { payment: other } = await decided(method, 'declined');
        const victim = other.chargeId!;
        expect(victim, method).toEqual(expect.any(String));
        expect(victim, method).not.toBe(paid.chargeId);

        const forgeries = await t.driver.forgedWebhooks(other);
        expect(forgeries.length, method).toBeGreaterThan(0);
        for (const [i, forged] of forgeries.entries()) await expectNoPayment(forged, `${method}: forgery ${i}`);

        const genuine = await t.driver.genuineWebhook(paid);
        const body = genuine.rawBody.toString('utf8');
        // The real bytes, the paid charge's id swapped for another one's, the same headers: the proof no longer fits.
        await expectNoPayment({ rawBody: Buffer.from(body.replaceAll(paid.chargeId!, victim)), headers: genuine.headers }, `${method}: swapped charge id`, paid.chargeId);
        // The other charge's id added once more, as a second field a lax reader might prefer.
        await expectNoPayment({ rawBody: Buffer.from(body.replace(/}\s*$/, `,"id":"${victim}"}`)), headers: genuine.headers }, `${method}: duplicated id key`, paid.chargeId);
        await expectNoPayment({ rawBody: Buffer.from(body.slice(0, Math.floor(body.length / 2))), headers: genuine.headers }, `${method}: truncated`);
        await expectNoPayment({ rawBody: genuine.rawBody, headers: {} }, `${method}: headers dropped`, paid.chargeId);
      }
    });

    it('refuses or ignores garbage bodies, signed or not, with a Checkout or Gateway error only', async () => {
      for (const [what, rawBody] of GARBAGE_BODIES) {
        const unsigned = await expectNoPayment({ rawBody, headers: { 'content-type': 'application/json' } }, what);
        if (unsigned) expect(unsigned.kind, what).toBe('ignored');
        if (t.driver.sign) {
          const signed = await expectNoPayment({ rawBody, headers: { 'content-type': 'application/json', ...t.driver.sign(rawBody) } }, `${what} (signed)`);
          if (signed) expect(signed.kind, `${what} (signed)`).toBe('ignored');
        }
      }
    });

    /**
     * Every call that needs the gateway rejects with a GatewayError of `code`, within the client's timeout; a
     * start that needs no call (the card form comes first) may answer, having created nothing.
     */
    async function expectGatewayDown(gateway: PaymentGateway, timeoutMs: number, code: string): Promise<void> {
      const slack = 1_000;
      // All at once: a hanging gateway costs one timeout, not one per call.
      await Promise.all(
        methodIds(gateway).map(async (method) => {
          let began = Date.now();
          const started = await settle(start(method, gateway));
          expect(Date.now() - began, `${method}: start took`).toBeLessThan(timeoutMs + slack);
          if (started.ok) {
            expect(started.value.started.gatewayIds.chargeId, method).toBeNull();
            expect(['created', 'pending'], method).toContain(started.value.started.status);
          } else {
            expect(started.error, `${method}: ${describeError(started.error)}`).toBeInstanceOf(GatewayError);
            expect((started.error as GatewayError).code, `${method}: ${describeError(started.error)}`).toBe(code);
          }

          began = Date.now();
          const payment = { ...t.payment(method), status: 'pending' as const, chargeId: t.unknownChargeId(), sourceId: t.unknownChargeId() };
          const read = await settle(gateway.fetchStatus(payment));
          expect(Date.now() - began, `${method}: fetchStatus took`).toBeLessThan(timeoutMs + slack);
          expect(read.ok, `${method}: fetchStatus resolved ${JSON.stringify(read.ok && read.value)}`).toBe(false);
          if (read.ok) return;
          expect(read.error, `${method}: ${describeError(read.error)}`).toBeInstanceOf(GatewayError);
          expect((read.error as GatewayError).code, `${method}: ${describeError(read.error)}`).toBe(code);
        }),
      );
    }

    it('rejects with a network GatewayError when nothing listens at the gateway\'s address', async () => {
      await expectGatewayDown(t.gatewayAt(await closedPortUrl(), 2_000), 2_000, 'network_error');
    });

    it('rejects with a timeout GatewayError, within its timeout, when the gateway never answers', async () => {
      const silent = await startSilentServer();
      try {
        await expectGatewayDown(t.gatewayAt(silent.url, 300), 300, 'timeout');
      } finally {
        await silent.close();
      }
    });

    it('cancels only what it says it can, and a cancelled payment ends unpaid', async () => {
      for (const method of methodIds(t.gateway)) {
        const { payment } = await start(method);
        if (!t.gateway.canCancel(payment)) continue;
        const state = await t.gateway.cancel(payment);
        expect(['failed', 'expired', 'canceled'], `${method}: cancel answered ${state.status}`).toContain(state.status);
        const after = await settle(t.gateway.fetchStatus(recordStatus(payment, state)));
        if (after.ok) expect(['failed', 'expired', 'canceled'], `${method}: then ${after.value.status}`).toContain(after.value.status);
        else expect(after.error, `${method}: ${describeError(after.error)}`).toBeInstanceOf(GatewayError);
      }
    });
  });
}
