import { describe, expect, it } from 'vitest';
import { Locale } from './locale.ts';
import { type PaymentNoticeKind, paymentNotice } from './payment-notices.ts';

const KINDS: PaymentNoticeKind[] = ['paid_twice_refunded', 'paid_twice_to_refund', 'order_changed_refunded', 'order_changed_to_refund', 'paid_by_other', 'paid_by_other_open'];
const SCRIPT: Record<Locale, RegExp> = { en: /^[A-Z][^\u0E00-\u0E7F\u3040-\u9FFF]*$/, th: /[\u0E00-\u0E7F]/, ja: /[\u3040-\u30FF\u4E00-\u9FFF]/ };

describe('payment notices', () => {
  it('word every notice in every language, a message of its own for each kind', () => {
    for (const locale of Locale.options) {
      const messages = KINDS.map((kind) => paymentNotice(kind, locale));
      for (const { kind, headline, message } of messages) {
        expect(headline, `${locale}.${kind}`).toMatch(SCRIPT[locale]);
        expect(message, `${locale}.${kind}`).toMatch(SCRIPT[locale]);
      }
      expect(new Set(messages.map((m) => m.message)).size, locale).toBe(KINDS.length);
    }
    expect(paymentNotice('paid_twice_to_refund', 'ja')).toEqual({
      kind: 'paid_twice_to_refund',
      headline: 'このご注文はすでにお支払い済みです',
      message: '2回目のお支払いはショップから返金されます。お客様のお手続きは必要ありません。',
    });
  });
});
