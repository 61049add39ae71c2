import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { UTC_OFFSET_HOURS } from './data.ts';

export type IdPrefix = 'chrg' | 'tokn' | 'card' | 'cust' | 'refd' | 'auth' | 'order' | 'qr' | 'redr';

/** K-Payment-style ids: prefix + `_test_` + 35 lowercase hex digits (`chrg_prod_6024360e68682f247f082b7fdcdac803c2f`, L1507). */
export function kpaymentId(prefix: IdPrefix): string {
  return `${prefix}_test_${randomBytes(18).toString('hex').slice(0, 35)}`;
}

/** A six-digit approval code (`"000941"`, L1540). */
export function approvalCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** The 3-D Secure data of an authenticated charge (the `mpi` object, L1531–1538). */
export function mpiData(brand: string) {
  return {
    eci: brand === 'visa' ? '05' : '02',
    xid: randomBytes(20).toString('hex'),
    cavv: randomBytes(20).toString('hex'),
    kbank_mpi: true,
    version: 2,
    dtransid: randomUUID(),
  };
}

const BANGKOK_OFFSET_MS = UTC_OFFSET_HOURS * 3600_000;

/** Parts of a sandbox time in the gateway's local time (GMT+7). */
function localParts(ms: number) {
  const d = new Date(ms + BANGKOK_OFFSET_MS);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return {
    date: `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`,
    time: `${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}${pad(d.getUTCMilliseconds(), 3)}`,
  };
}

/** `created`: 17 digits, `YYYYMMDDHHmmSSsss` in Bangkok time (§10.22). */
export function kpaymentTime(ms: number): string {
  const { date, time } = localParts(ms);
  return date + time;
}

/** `transaction_date`: `YYYYMMDD` in Bangkok time. */
export function kpaymentDate(ms: number): string {
  return localParts(ms).date;
}

/** The first instant of the next Bangkok day: when "next day" steps (Captured → Settled, Refund Sent → Refunded) happen. */
export function nextLocalMidnight(ms: number): number {
  const local = ms + BANGKOK_OFFSET_MS;
  const day = 86_400_000;
  return Math.floor(local / day) * day + day - BANGKOK_OFFSET_MS;
}
