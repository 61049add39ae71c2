import { describe, expect, it } from 'vitest';
import { type Logger, redactingLogger } from './logger.ts';
import { KeyedLock } from './keyed-lock.ts';

describe('redactingLogger', () => {
  it('removes secret keys and configured secrets from messages, nested data and errors', () => {
    const lines: unknown[] = [];
    const base: Logger = { info: (...a) => lines.push(a), warn: (...a) => lines.push(a), error: (...a) => lines.push(a) };
    const log = redactingLogger(base, ['c2VjcmV0LXdlYmhvb2s=']);
    log.info('using skey_test_abc123 now', { nested: { key: 'skey_live_999', list: ['c2VjcmV0LXdlYmhvb2s='] } });
    log.error('failed', { error: new Error('auth with skey_test_abc123 failed') });
    const text = JSON.stringify(lines);
    expect(text).not.toMatch(/skey_test_abc123|skey_live_999|c2VjcmV0LXdlYmhvb2s=/);
    expect(text).toContain('skey_[redacted]');
    expect(text).toContain('auth with');
  });

  it('also hides a secret learnt after it was built (a webhook secret from the sandbox)', () => {
    const lines: unknown[] = [];
    const base: Logger = { info: (...a) => lines.push(a), warn: (...a) => lines.push(a), error: (...a) => lines.push(a) };
    const secrets: string[] = [];
    const log = redactingLogger(base, () => secrets);
    secrets.push('d2ViaG9vay1zZWNyZXQtbGF0ZXI=');
    log.warn('registered', { secret: 'd2ViaG9vay1zZWNyZXQtbGF0ZXI=' });
    expect(JSON.stringify(lines)).not.toContain('d2ViaG9vay1zZWNyZXQtbGF0ZXI=');
  });
});

describe('KeyedLock', () => {
  it('runs tasks of one key one at a time, in order, and other keys in parallel', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => {
      log.push(`${name} start`);
      await new Promise((r) => setTimeout(r, ms));
      log.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([lock.run('a', task('a1', 20)), lock.run('a', task('a2', 1)), lock.run('b', task('b1', 1))]);
    expect(results).toEqual(['a1', 'a2', 'b1']);
    expect(log.indexOf('a1 end')).toBeLessThan(log.indexOf('a2 start'));
    expect(log.indexOf('b1 end')).toBeLessThan(log.indexOf('a1 end'));
    expect(lock.size).toBe(0);
  });

  it('keeps going after a task fails', async () => {
    const lock = new KeyedLock();
    await expect(lock.run('a', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await lock.run('a', async () => 'next')).toBe('next');
  });
});
