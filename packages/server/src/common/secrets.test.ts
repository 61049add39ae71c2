import { describe, expect, it } from 'vitest';
import { newRandomId, newUrlToken, sameSecret } from './secrets.ts';

describe('secrets', () => {
  it('hands out ids and URL tokens of the right shape, never the same twice, across many refills of the pool', () => {
    // 3,000 ids and tokens draw 144,000 bytes: the 4 KiB pool is refilled about 35 times.
    const ids = Array.from({ length: 3_000 }, () => newRandomId('pay_'));
    const tokens = Array.from({ length: 3_000 }, () => newUrlToken());
    for (const id of ids) expect(id).toMatch(/^pay_[0-9a-f]{32}$/);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(tokens).size).toBe(tokens.length);
    // No draw is a slice of another: the hex of every id's bytes appears once in all that was drawn.
    const halves = new Set(ids.flatMap((id) => [id.slice(4, 20), id.slice(20)]));
    expect(halves.size).toBe(ids.length * 2);
  });

  it('draws bytes that look random: each hex digit about as often as the others', () => {
    const digits = Array.from({ length: 2_000 }, () => newRandomId('')).join('');
    const counts = [...'0123456789abcdef'].map((d) => digits.split(d).length - 1);
    // 64,000 digits, 4,000 expected each, standard deviation 61: ±450 is over 7 of them (a fair source fails this
    // less than once in 10^11 runs; a stuck or repeating pool fails it at once).
    for (const count of counts) expect(Math.abs(count - 4_000)).toBeLessThan(450);
  });

  it('compares secrets whole: the same text only', () => {
    expect(sameSecret('whsec_abc', 'whsec_abc')).toBe(true);
    expect(sameSecret('whsec_abc', 'whsec_abd')).toBe(false);
    expect(sameSecret('whsec_ab', 'whsec_abc')).toBe(false);
  });
});
