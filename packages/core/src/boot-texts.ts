import type { Locale } from './locale.ts';

/**
 * The few texts the element carries itself (zod-free: the browser imports them), kept short: what it says before the
 * companion's texts arrive, or when it cannot reach the companion at all. The companion's texts (core `checkoutTexts`)
 * take over as soon as they arrive; they include these (`retry`) or say more (`loading`).
 */
export interface BootTexts {
  /** While the config, or a result page's payment, loads. */
  loading: string;
  retry: string;
  /** An error before the companion's texts arrive (most often: the companion cannot be reached); "Try again" follows it. */
  unreachable: string;
}

export const BOOT_TEXTS: Record<Locale, BootTexts> = {
  en: { loading: 'Loading…', retry: 'Try again', unreachable: 'We could not reach the payment service.' },
  th: { loading: 'กำลังโหลด…', retry: 'ลองอีกครั้ง', unreachable: 'ไม่สามารถเชื่อมต่อบริการชำระเงินได้' },
  ja: { loading: '読み込み中…', retry: '再試行', unreachable: '決済サービスに接続できませんでした。' },
};

/** `text` with each `{name}` replaced by `values.name`: `fillText('Pay with {method}', { method: 'Alipay' })`. */
export function fillText(text: string, values: Readonly<Record<string, string | number>>): string {
  return text.replace(/\{(\w+)\}/g, (mark, name: string) => (Object.hasOwn(values, name) ? String(values[name]) : mark));
}
