import type { Locale } from './locale.ts';

/**
 * The few texts the element carries itself (zod-free: the browser imports them): what it says before the companion's
 * texts arrive, or when the companion cannot be reached at all. core's `checkoutTexts` includes them, so that each
 * sentence is written once.
 */
export interface BootTexts {
  /** While the checkout config loads. */
  loading: string;
  /** While the payment shown on a result page is read. */
  checkingPayment: string;
  retry: string;
  networkError: string;
  unexpectedError: string;
}

export const BOOT_TEXTS: Record<Locale, BootTexts> = {
  en: {
    loading: 'Loading payment methods…',
    checkingPayment: 'Checking your payment…',
    retry: 'Try again',
    networkError: 'We could not reach the payment service. Check your connection and try again.',
    unexpectedError: 'Something went wrong. Please try again.',
  },
  th: {
    loading: 'กำลังโหลดวิธีชำระเงิน…',
    checkingPayment: 'กำลังตรวจสอบการชำระเงิน…',
    retry: 'ลองอีกครั้ง',
    networkError: 'ไม่สามารถเชื่อมต่อบริการชำระเงินได้ กรุณาตรวจสอบการเชื่อมต่อแล้วลองอีกครั้ง',
    unexpectedError: 'เกิดข้อผิดพลาด กรุณาลองอีกครั้ง',
  },
};

/** `text` with each `{name}` replaced by `values.name`: `fillText('Pay with {method}', { method: 'Alipay' })`. */
export function fillText(text: string, values: Readonly<Record<string, string | number>>): string {
  return text.replace(/\{(\w+)\}/g, (mark, name: string) => (Object.hasOwn(values, name) ? String(values[name]) : mark));
}
