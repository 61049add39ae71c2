import type { PaymentMethod } from '../../method.ts';

/** K-Payment Gateway's methods (seed 003; shared/spec/kpayment-gateway.md). */
export const KPAYMENT_METHODS: readonly PaymentMethod[] = [
  {
    // K-Payment Gateway cards (Visa, Mastercard, JCB, UnionPay): 3-D Secure or not, MCC, DCC, SmartPay.
    // The guide sets no per-method limits (they are per merchant); the API takes Decimal(12,2), the script (10,2).
    id: 'card',
    gateway: 'kpayment',
    group: 'card',
    limits: {
      THB: { min: 100, max: 9_999_999_999 },
      USD: { min: 100, max: 9_999_999_999 },
      SGD: { min: 100, max: 9_999_999_999 },
      JPY: { min: 1, max: 99_999_999 },
    },
    flow: 'embedded_form',
    platforms: [],
    desktopPlatform: null,
    expiryMinutes: null,
    canExpireEarly: false,
    voidable: true,
    refundable: true,
    manualCapture: false,
    requiresHttpsReturn: false,
    label: { en: 'Credit / debit card', th: 'บัตรเครดิต / เดบิต', ja: 'クレジットカード / デビットカード' },
    badge: { color: '#2b3a55', ink: '#ffffff', text: '••••' },
    // SmartPay instalments: KBank's credit cards only.
    installmentsLabel: { en: 'KBank credit card in instalments', th: 'บัตรเครดิตกสิกรไทยแบบผ่อนชำระ', ja: 'KBankクレジットカードで分割払い' },
  },
  // K-Payment QR and redirect methods (guide §3.1.2–3.1.3): THB only; the guide sets no per-method limits, so the
  // API's Decimal(12,2) bounds them. The QR order expires with its `expire_time_seconds`.
  ...(
    [
      ['thai_qr', 'qr', 'embedded_qr', { en: 'Thai QR (PromptPay)', th: 'Thai QR (พร้อมเพย์)', ja: 'タイQR（PromptPay）' }, false, ['#113566', 'QR']],
      ['wechat_pay', 'wallet', 'embedded_qr', { en: 'WeChat Pay', th: 'WeChat Pay', ja: 'WeChat Pay' }, false, ['#07823a', 'WP']],
      ['alipay', 'wallet', 'redirect', { en: 'Alipay', th: 'Alipay', ja: 'Alipay' }, false, ['#0b63ce', 'A']],
      ['unionpay', 'wallet', 'redirect', { en: 'UnionPay', th: 'UnionPay', ja: 'UnionPay' }, false, ['#c8102e', 'UP']],
    ] as const
  ).map(([id, group, flow, label, voidable, [color, text]]) => ({
    id,
    gateway: 'kpayment' as const,
    group,
    limits: { THB: { min: 100, max: 9_999_999_999 } },
    flow,
    platforms: [],
    desktopPlatform: null,
    expiryMinutes: null,
    canExpireEarly: false,
    voidable,
    refundable: false,
    manualCapture: false,
    requiresHttpsReturn: false,
    label,
    badge: { color, ink: '#ffffff', text },
  })),
];
