import { describe, expect, it } from 'vitest';
import { BOOT_TEXTS } from './boot-texts.ts';
import { CATALOG } from './catalog.ts';
import { Locale } from './locale.ts';
import { CheckoutTexts, checkoutTexts } from './texts.ts';

/** Some letter of the locale's own script: each text of that locale, besides its marks and names, is written in it. */
const SCRIPT: Record<Exclude<Locale, 'en'>, RegExp> = { th: /\p{Script=Thai}/u, ja: /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u };

describe('checkoutTexts', () => {
  it('has every text in every locale, each one translated (not the English)', () => {
    const en = checkoutTexts('en');
    for (const locale of Locale.options.filter((l) => l !== 'en')) {
      const texts = checkoutTexts(locale);
      expect(Object.keys(texts).sort()).toEqual(Object.keys(en).sort());
      for (const [key, text] of Object.entries(texts)) {
        if (typeof text !== 'string') continue;
        expect(text.length, `${locale}.${key}`).toBeGreaterThan(0);
        expect(text, `${locale}.${key}`).not.toBe(en[key as keyof typeof en]);
      }
      expect(Object.values(texts.groups)).not.toEqual(Object.values(en.groups));
      for (const [key, text] of Object.entries({ ...texts, ...texts.groups })) {
        // A text that is only marks and punctuation (`{amount}（{method}）`) has no script to be in.
        if (typeof text === 'string' && /\p{L}/u.test(text.replace(/\{\w+\}/g, ''))) expect(text, `${locale}.${key}`).toMatch(SCRIPT[locale]);
      }
      // The element draws the groups in this order.
      expect(Object.keys(texts.groups)).toEqual(['mobile_banking', 'wallet', 'card', 'qr']);
    }
  });

  it('keeps the marks a text is filled with in every locale', () => {
    const marks = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const en = checkoutTexts('en') as unknown as Record<string, unknown>;
    for (const locale of Locale.options) {
      const texts = checkoutTexts(locale) as unknown as Record<string, unknown>;
      for (const key of Object.keys(en)) if (typeof en[key] === 'string') expect(marks(texts[key] as string), `${locale}.${key}`).toEqual(marks(en[key] as string));
    }
  });

  it("names every method of the catalog, and a gateway's own instalments choice", () => {
    for (const locale of Locale.options) {
      const texts = CheckoutTexts.parse(checkoutTexts(locale));
      expect(Object.keys(texts.methods).sort()).toEqual(CATALOG.map((m) => m.id).sort());
      expect(texts.methods.mobile_banking_kbank).toBe(CATALOG.find((m) => m.id === 'mobile_banking_kbank')?.label[locale]);
      expect(Object.keys(texts.installments)).toEqual(['card']);
    }
    expect(checkoutTexts('en').installments.card).toBe('KBank credit card in instalments');
  });

  it("includes the element's own few texts, and says more where it can (what is loading, which error)", () => {
    for (const locale of Locale.options) {
      const texts = checkoutTexts(locale);
      expect(texts.retry).toBe(BOOT_TEXTS[locale].retry);
      expect(texts.unreachable).toBe(BOOT_TEXTS[locale].unreachable);
      expect(texts.loading.length, locale).toBeGreaterThan(BOOT_TEXTS[locale].loading.length);
      expect([texts.networkError, texts.unexpectedError, texts.checkingPayment].every((t) => t.length > 0)).toBe(true);
    }
  });
});
