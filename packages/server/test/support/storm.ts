import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seededRandom } from '@payment-checkout/sandbox';

/**
 * The storm suite's plumbing, free of any gateway: a seeded shuffle (a failing storm prints its seed to replay),
 * a bounded-concurrency runner, and a catcher that records the bytes a gateway posts to it.
 */

/** The sandbox's seeded generator (mulberry32), so that one seed gives one storm. */
export { seededRandom };

/** Fisher–Yates, in place. */
export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** Runs `work` on every item with at most `concurrency` in flight; answers the results in the items' order. */
export async function inPool<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

export interface Catcher {
  url: string;
  /** Every body posted, byte for byte, in arrival order. */
  bodies: string[];
  close(): Promise<void>;
}

/** A stand-in notify URL: takes what the gateway delivers (answering 200, so it is not retried) and keeps the exact bytes. */
export async function startCatcher(): Promise<Catcher> {
  const bodies: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/notify`,
    bodies,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}

/** How many times each of `count` genuine bodies is sent so that they add up to `total` (each at least once). */
export function copiesOf(count: number, total: number): number[] {
  const base = Math.max(1, Math.floor(total / count));
  const extra = Math.max(0, total - base * count);
  return Array.from({ length: count }, (_, i) => base + (i < extra ? 1 : 0));
}
