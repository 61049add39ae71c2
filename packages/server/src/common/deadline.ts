/**
 * Bounded waits for work the companion does not control (the merchant's lookups and hooks): the caller goes on after
 * a deadline, the work itself goes on too, and a late failure of it is handled, never an unhandled rejection.
 */

/** What `within` answers when the deadline came first. */
export const LATE = Symbol('late');

/** `work`'s result, or LATE when `ms` pass first. */
export async function within<T>(work: Promise<T>, ms: number): Promise<T | typeof LATE> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<typeof LATE>((resolve) => (timer = setTimeout(() => resolve(LATE), ms)));
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** `fn` bounded: a call that takes longer than `ms` rejects, naming `name` (the call itself goes on, unheard). */
export function withDeadline<A extends unknown[], R>(fn: (...args: A) => R | Promise<R>, ms: number, name: string): (...args: A) => Promise<R> {
  return async (...args) => {
    const answer = await within(Promise.resolve(fn(...args)), ms);
    if (answer === LATE) throw new Error(`${name} did not answer within ${ms} ms`);
    return answer;
  };
}
