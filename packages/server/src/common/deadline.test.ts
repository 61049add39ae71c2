import { describe, expect, it } from 'vitest';
import { LATE, within, withDeadline } from './deadline.ts';

const after = <T>(ms: number, settle: () => T) => new Promise<T>((resolve, reject) => setTimeout(() => {
  try {
    resolve(settle());
  } catch (err) {
    reject(err);
  }
}, ms));

describe('within', () => {
  it('answers the work when it is first, and LATE when the deadline is', async () => {
    expect(await within(after(5, () => 'done'), 200)).toBe('done');
    expect(await within(after(200, () => 'done'), 20)).toBe(LATE);
  });

  it('passes a failure on time on, and leaves a late failure handled (no unhandled rejection)', async () => {
    await expect(within(after(5, () => { throw new Error('down'); }), 200)).rejects.toThrow('down');
    const unhandled: unknown[] = [];
    const listen = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', listen);
    try {
      expect(await within(after(40, () => { throw new Error('late and down'); }), 10)).toBe(LATE);
      await after(80, () => undefined);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', listen);
    }
  });
});

describe('withDeadline', () => {
  it('answers as the function does in time, and rejects naming it when it does not', async () => {
    const lookup = withDeadline((id: string, ms: number) => after(ms, () => ({ id })), 50, 'resolveCustomer');
    await expect(lookup('a', 5)).resolves.toEqual({ id: 'a' });
    await expect(lookup('b', 300)).rejects.toThrow('resolveCustomer did not answer within 50 ms');
    const throwing = withDeadline(() => {
      throw new Error('sync throw');
    }, 50, 'resolveOrder');
    await expect(throwing()).rejects.toThrow('sync throw');
  });
});
