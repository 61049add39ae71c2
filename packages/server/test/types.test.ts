import { describe, expect, expectTypeOf, it } from 'vitest';
import type { PaymentView } from '@payment-checkout/core';
import { type CheckoutHooks, type CheckoutOptions, type HookDelivery, type OrderAmount, type Payment, type PaymentHook, type ResolveOrder, createCheckout } from '../src/index.ts';
import { registerSandboxWebhook } from '../src/gateways/opn/sandbox-registration.ts';
import { startWorld } from './support/world.ts';

/** Compile-time checks of the public types (`npm run typecheck` fails if an @ts-expect-error stops erroring). */
describe('public types', () => {
  it('type-checks the options and the payment given to hooks', () => {
    const options: CheckoutOptions = {
      resolveOrder: async () => ({ amount: 150_000, currency: 'THB' }),
      publicBaseUrl: 'https://shop.example',
      resultUrl: (payment) => `/result/${payment.id}`,
      opn: { apiUrl: 'http://127.0.0.1:4000' },
      hooks: { onPaid: (payment) => expectTypeOf(payment).toEqualTypeOf<Payment>() },
    };
    expect(options.opn?.apiUrl).toBeDefined();
    expectTypeOf<Payment>().not.toHaveProperty('returnToken');
    expectTypeOf<Payment['amount']>().toBeNumber();
    expectTypeOf<PaymentView>().not.toHaveProperty('returnToken');

    const wrong = () => {
      // @ts-expect-error resolveOrder is required: amounts only come from the merchant's order
      createCheckout({ publicBaseUrl: 'https://shop.example', resultUrl: '/r', opn: {} });
      // @ts-expect-error resolveOrder answers minor units as a number, not a string
      createCheckout({ resolveOrder: async () => ({ amount: '1500.00', currency: 'THB' }), publicBaseUrl: 'https://s', resultUrl: '/r', opn: {} });
      // @ts-expect-error unknown methods are not methods
      createCheckout({ resolveOrder: async () => null, publicBaseUrl: 'https://s', resultUrl: '/r', opn: {}, methods: ['paypal'] });
      // @ts-expect-error hooks have fixed names
      createCheckout({ resolveOrder: async () => null, publicBaseUrl: 'https://s', resultUrl: '/r', opn: {}, hooks: { onSuccess: () => {} } });
    };
    expect(typeof wrong).toBe('function');
  });
});

describe('resolveOrder answering undefined', () => {
  it('type-checks as "no such order", as the runtime takes it: 404 order_not_found', async () => {
    // The shape of the server README's example: a lookup that answers undefined for an unknown order.
    const orders = new Map<string, { total: number }>([['ord_1', { total: 150_000 }]]);
    const resolveOrder: ResolveOrder = async (orderId) => orders.get(orderId) && { amount: 150_000, currency: 'THB' };
    expectTypeOf<undefined>().toExtend<Awaited<ReturnType<ResolveOrder>>>();
    expectTypeOf<OrderAmount | null | undefined>().toEqualTypeOf<Awaited<ReturnType<ResolveOrder>>>();
    const world = await startWorld({ checkout: { resolveOrder } });
    try {
      const unknown = await world.api('/checkout/config?orderId=ord_2');
      expect([unknown.status, unknown.body.error.code]).toEqual([404, 'order_not_found']);
      expect((await world.api('/checkout/config?orderId=ord_1')).body).toMatchObject({ amount: 150_000, currency: 'THB' });
    } finally {
      await world.close();
    }
  });
});

describe('hook types (issue 9, the outbox)', () => {
  it('pass the delivery (idempotency key, attempt) as a second argument that hooks of one argument may ignore', () => {
    const hooks: CheckoutHooks = {
      onPaid: (payment, delivery) => {
        expectTypeOf(payment).toEqualTypeOf<Payment>();
        expectTypeOf(delivery).toEqualTypeOf<HookDelivery | undefined>();
        return delivery?.idempotencyKey;
      },
      onFailed: (payment) => payment.id,
    };
    expectTypeOf<HookDelivery>().toEqualTypeOf<{ idempotencyKey: string; attempt: number }>();
    // Code that calls a hook itself, as before, still compiles.
    const call = (hook: PaymentHook, payment: Payment) => hook(payment);
    expect(typeof call).toBe('function');
    expect(Object.keys(hooks)).toEqual(['onPaid', 'onFailed']);
  });
});

describe('registerSandboxWebhook', () => {
  it('gives up with a readable error when the sandbox cannot be reached', async () => {
    await expect(
      registerSandboxWebhook({ apiUrl: 'http://127.0.0.1:9', secretKey: 'skey_test_x', webhookUrl: 'http://127.0.0.1/webhooks/opn', attempts: 2 }),
    ).rejects.toThrow(/could not register the webhook URL with the sandbox at http:\/\/127\.0\.0\.1:9/);
  });
});
