import { describe, expect, it } from 'vitest';
import { customerMessage } from '../../errors.ts';
import { Locale } from '../../locale.ts';
import { OpnFailureCode } from './wire.ts';

describe('Opn failure messages', () => {
  it('has a message of its own for each of the five Opn failure codes, in English, Thai and Japanese', () => {
    for (const code of OpnFailureCode.options) {
      for (const locale of Locale.options) {
        expect(customerMessage(code, locale), `${code} ${locale}`).not.toBe(customerMessage('generic', locale));
      }
      expect(customerMessage(code, 'th'), code).toMatch(/[\u0E00-\u0E7F]/);
      expect(customerMessage(code, 'ja'), code).toMatch(/[\u3040-\u30FF\u4E00-\u9FFF]/);
      expect(customerMessage(code, 'en'), code).not.toMatch(/[\u0E00-\u0E7F]/);
    }
    expect(new Set(OpnFailureCode.options.map((c) => customerMessage(c))).size).toBe(5);
  });
});
