/**
 * The reliability suites (test/reliability/) run bounded in `npm test`, seconds each, and at full size under
 * `npm run soak` (SOAK=1). A suite states both sizes with `sized(bounded, full)`.
 */
export const SOAK = process.env.SOAK === '1';

export function sized(bounded: number, full: number): number {
  return SOAK ? full : bounded;
}
