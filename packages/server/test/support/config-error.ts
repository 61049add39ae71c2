import { expect } from 'vitest';
import { CheckoutConfigError, parseCheckoutOptions } from '../../src/options.ts';

/** The CheckoutConfigError these options are refused with (fails the test when they are accepted). */
export function configError(options: unknown): CheckoutConfigError {
  try {
    parseCheckoutOptions(options);
  } catch (err) {
    expect(err).toBeInstanceOf(CheckoutConfigError);
    return err as CheckoutConfigError;
  }
  throw new Error('expected a CheckoutConfigError');
}
