import { PaymentMethod } from '@payment-checkout/core';

/**
 * FakePay's catalog entries: core's method ids reused (a gateway may not invent ids), declared here with
 * `gateway: 'fakepay'`, so that the companion offers them without core knowing FakePay.
 */
const wallet = (id: 'alipay' | 'unionpay', name: string): PaymentMethod =>
  PaymentMethod.parse({
    id,
    gateway: 'fakepay',
    group: 'wallet',
    limits: { THB: { min: 2_000, max: 10_000_000 } },
    flow: 'redirect',
    platforms: [],
    desktopPlatform: null,
    // The emulator sets no timer; a pending charge ends only when paid, declined or cancelled.
    expiryMinutes: null,
    canExpireEarly: true,
    voidable: false,
    refundable: false,
    manualCapture: false,
    requiresHttpsReturn: false,
    label: { en: `${name} (FakePay)`, th: `${name} (FakePay)`, ja: `${name} (FakePay)` },
    badge: { color: '#5b2a86', ink: '#ffffff', text: 'FP' },
  });

export const FAKEPAY_METHODS: readonly PaymentMethod[] = [wallet('alipay', 'Alipay'), wallet('unionpay', 'UnionPay')];
