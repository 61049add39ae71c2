import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type StorefrontTexts, TEXTS, describeAmountProblem, itemName, spokenLocale } from './i18n.ts';

/** The shop's own texts in English, Thai and Japanese (the element's are the companion's). */

const PAGES = ['index.html', 'checkout.html', 'result.html'];

describe('the shopper’s pages', () => {
  it('name only texts that exist, as text, in every language (data-text, data-label)', () => {
    for (const page of PAGES) {
      const html = readFileSync(new URL(page, import.meta.url), 'utf8');
      const keys = [...html.matchAll(/data-(?:text|label)="([^"]+)"/g)].map((m) => m[1]);
      expect(keys.length, page).toBeGreaterThan(0);
      for (const key of keys) {
        for (const texts of Object.values(TEXTS)) expect(typeof texts[key as keyof StorefrontTexts], `${page}: ${key}`).toBe('string');
      }
    }
  });
});

describe('the translations', () => {
  /** Every sentence of a locale, its functions called with sample values, so that two locales can be compared. */
  function sentences(texts: StorefrontTexts): Record<string, string> {
    return Object.fromEntries(
      Object.entries(texts).flatMap(([key, value]): [string, string][] => {
        if (typeof value === 'string') return [[key, value]];
        if (typeof value === 'function') return [[key, (value as (...args: unknown[]) => string)('X', 2, 'Y')]];
        return Object.entries(value as Record<string, string>).map(([inner, text]) => [`${key}.${inner}`, text]);
      }),
    );
  }

  it('say every English sentence in Thai and in Japanese, none left in English', () => {
    const english = sentences(TEXTS.en);
    for (const locale of ['th', 'ja'] as const) {
      const translated = sentences(TEXTS[locale]);
      expect(Object.keys(translated)).toEqual(Object.keys(english));
      const untranslated = Object.keys(english).filter((key) => translated[key] === english[key]);
      expect(untranslated, locale).toEqual([]);
    }
  });

  it('name products in the page’s language, an order of any amount as such, and an unknown product by the shop’s name', () => {
    expect(itemName(TEXTS.th, 'jasmine-rice-5kg', 'Jasmine rice, 5 kg')).toBe('ข้าวหอมมะลิ 5 กก.');
    expect(itemName(TEXTS.ja, null, 'Any amount')).toBe('任意の金額');
    expect(itemName(TEXTS.ja, 'toString', 'Something new')).toBe('Something new');
  });

  it('word a refused amount in each language, its amounts as the language writes them', () => {
    const problem = { reason: 'too_large', max: 99_999_999_999, currency: 'THB' } as const;
    expect(describeAmountProblem(problem, 'en')).toBe('The demo takes orders of at most ฿999,999,999.99.');
    expect(describeAmountProblem(problem, 'th')).toBe('ร้านค้าตัวอย่างรับคำสั่งซื้อได้ไม่เกิน ฿999,999,999.99');
    expect(describeAmountProblem({ reason: 'too_many_decimals', currency: 'THB', decimals: 2, written: '15.001' }, 'ja')).toBe(
      'THB の金額は小数点以下 2 桁までです：「15.001」',
    );
  });

  it('read the languages a browser asks for', () => {
    expect(['th-TH', 'ja', 'en-GB', 'fr', '', null].map(spokenLocale)).toEqual(['th', 'ja', 'en', undefined, undefined, undefined]);
  });
});
