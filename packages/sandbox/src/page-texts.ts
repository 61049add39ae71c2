import type { Locale } from '@payment-checkout/core';

/** What every hosted page says around its content, whatever the gateway: its title and the test-mode badge. */
const en = {
  documentTitle: (title: string, gateway: string) => `${title} · ${gateway} sandbox`,
  badge: (gateway: string) => `${gateway} sandbox · test mode`,
};

export const HOSTED_PAGE_TEXTS: Record<Locale, typeof en> = {
  en,
  th: {
    documentTitle: (title, gateway) => `${title} · ${gateway} แซนด์บ็อกซ์`,
    badge: (gateway) => `${gateway} แซนด์บ็อกซ์ · โหมดทดสอบ`,
  },
  ja: {
    documentTitle: (title, gateway) => `${title} · ${gateway} サンドボックス`,
    badge: (gateway) => `${gateway} サンドボックス · テストモード`,
  },
};
