import type { PaymentMethod } from '../../method.ts';

const THB_MOBILE_BANKING = { THB: { min: 2000, max: 15_000_000 } };

/** Opn's methods, from the seeds (see shared/spec/opn-payments.md); our method id is Opn's source `type`. */
export const OPN_METHODS: readonly PaymentMethod[] = [
  {
    id: 'mobile_banking_kbank',
    gateway: 'opn',
    group: 'mobile_banking',
    limits: THB_MOBILE_BANKING,
    flow: 'app_redirect',
    platforms: ['IOS', 'ANDROID'],
    desktopPlatform: null,
    expiryMinutes: 10,
    canExpireEarly: false,
    voidable: false,
    refundable: false,
    manualCapture: false,
    requiresHttpsReturn: false,
    label: { en: 'KBank K PLUS', th: 'K PLUS ธนาคารกสิกรไทย', ja: 'KBank K PLUS' },
    badge: { color: '#00873e', ink: '#ffffff', text: 'K+' },
  },
  {
    id: 'mobile_banking_bay',
    gateway: 'opn',
    group: 'mobile_banking',
    limits: THB_MOBILE_BANKING,
    flow: 'app_redirect',
    platforms: ['IOS', 'ANDROID'],
    desktopPlatform: null,
    expiryMinutes: 15,
    canExpireEarly: true,
    voidable: false,
    refundable: false,
    manualCapture: false,
    requiresHttpsReturn: false,
    label: { en: 'Krungsri KMA', th: 'KMA ธนาคารกรุงศรีอยุธยา', ja: 'Krungsri KMA' },
    badge: { color: '#ffd400', ink: '#4e3629', text: 'KMA' },
  },
  {
    id: 'kakaopay',
    gateway: 'opn',
    group: 'wallet',
    limits: { SGD: { min: 100, max: 2_000_000 }, THB: { min: 2000, max: 15_000_000 } },
    flow: 'app_redirect',
    platforms: ['IOS', 'ANDROID', 'WEB'],
    desktopPlatform: 'WEB',
    expiryMinutes: null,
    canExpireEarly: false,
    voidable: true,
    refundable: true,
    manualCapture: true,
    requiresHttpsReturn: true,
    label: { en: 'KakaoPay', th: 'KakaoPay', ja: 'KakaoPay' },
    badge: { color: '#ffeb00', ink: '#191919', text: 'pay' },
  },
];

/** Opn source types among our method ids. */
export type OpnMethodId = 'mobile_banking_kbank' | 'mobile_banking_bay' | 'kakaopay';
