import type { Locale } from '@payment-checkout/core';
import { expect } from 'vitest';

/** Each language's own script: a Thai text has Thai letters, a Japanese one kana or kanji. */
const SCRIPT: Record<Exclude<Locale, 'en'>, RegExp> = { th: /[\u0E00-\u0E7F]/, ja: /[\u3040-\u30FF\u4E00-\u9FFF]/ };

/** Stands for any argument of a text function: a string, a number's place, a SafeHtml, or a link-making function. */
const ANY_ARGUMENT = Object.assign(() => 'X', { toString: () => 'X' });

/** Every text of a table as `[path, text]`: strings as they are, functions called, nested groups walked. */
function texts(value: unknown, path: string): Array<[string, string]> {
  if (typeof value === 'string') return [[path, value]];
  if (typeof value === 'function') return [[path, String(value(ANY_ARGUMENT, ANY_ARGUMENT, ANY_ARGUMENT))]];
  if (value && typeof value === 'object' && !('value' in value)) return Object.entries(value).flatMap(([key, v]) => texts(v, `${path}.${key}`));
  return [[path, String(value)]];
}

/**
 * A page's texts are written in each language: every Thai and Japanese text is in its own script and is not the
 * English one. `names` are the keys whose text is a name in every language (a brand, a standard's name).
 */
export function expectWrittenInEachLanguage(table: Record<Locale, object>, names: readonly string[] = []): void {
  const english = new Map(texts(table.en, ''));
  for (const locale of ['th', 'ja'] as const) {
    const wrong = texts(table[locale], '')
      .filter(([path]) => !names.includes(path.split('.').pop()!))
      .filter(([path, text]) => !SCRIPT[locale].test(text) || text === english.get(path))
      .map(([path, text]) => `${path}: ${text}`);
    expect(wrong, `${locale} texts not written in ${locale}`).toEqual([]);
  }
}
