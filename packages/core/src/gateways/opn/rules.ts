/** Opn's money rules that both the companion and the sandbox follow (seed 004; decisions.md 14). */

const HOUR = 3_600_000;

/** KakaoPay's void window closes at 00:15 GMT+8 of the day after creation (decisions.md 14). */
export const KAKAOPAY_VOID_WINDOW = { utcOffsetHours: 8, closesAtMinutes: 15 } as const;

/** When a KakaoPay charge created at `createdAt` (epoch ms) can no longer be voided (epoch ms). */
export function kakaopayVoidDeadline(createdAt: number): number {
  const offset = KAKAOPAY_VOID_WINDOW.utcOffsetHours * HOUR;
  const local = new Date(createdAt + offset);
  const nextLocalMidnight = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + 1);
  return nextLocalMidnight + KAKAOPAY_VOID_WINDOW.closesAtMinutes * 60_000 - offset;
}
