import { describe, expect, it } from 'vitest';
import { UsageError } from './exit-codes.ts';
import { listQuery, parseInvocation } from './args.ts';

const queryOf = (...argv: string[]) => listQuery(parseInvocation(['list', ...argv]).flags);

describe('payments list --from / --to', () => {
  it('takes a date alone as the start of that day in UTC', () => {
    expect(queryOf('--from', '2026-12-05')).toEqual({ createdFrom: '2026-12-05T00:00:00Z' });
    expect(queryOf('--from', '2026-12-01', '--to', '2026-12-05')).toEqual({ createdFrom: '2026-12-01T00:00:00Z', createdTo: '2026-12-05T00:00:00Z' });
    expect(queryOf('--to', '2028-02-29')).toEqual({ createdTo: '2028-02-29T00:00:00Z' });
  });

  it('passes a date-time with Z or an offset as it was given', () => {
    expect(queryOf('--from', '2031-02-01T00:00:00+07:00', '--to', '2031-02-02T00:00:00Z')).toEqual({ createdFrom: '2031-02-01T00:00:00+07:00', createdTo: '2031-02-02T00:00:00Z' });
  });

  it.each([
    ['--from', 'yesterday'],
    ['--to', 'garbage'],
    ['--from', '2026-13-05'],
    ['--to', '2026-02-30'],
    ['--from', '2026-12-5'],
    ['--from', '2026-12-05T10:00'],
    ['--to', '20261205'],
  ])('refuses %s %s, saying what it takes', (flag, value) => {
    const refusal = (() => {
      try {
        queryOf(flag, value);
      } catch (error) {
        return error;
      }
      return null;
    })();
    expect(refusal).toBeInstanceOf(UsageError);
    expect((refusal as Error).message).toBe(
      `${flag}: "${value}" is not a date (2031-02-01, from 00:00 UTC) or a date-time with Z or an offset (2031-02-01T09:00:00+07:00).`,
    );
  });
});
