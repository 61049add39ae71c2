#!/usr/bin/env node
// `npm run sandbox -- --port N [--host 127.0.0.1] [--public-url URL]`: the sandbox on its own, on loopback.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createSandbox } from './sandbox.ts';

const Args = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(8010),
  host: z
    .string()
    .default('127.0.0.1')
    .refine((h) => /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::1' || h === 'localhost', {
      error: 'the sandbox listens on loopback addresses only (127.x.x.x, ::1, localhost)',
    }),
  'public-url': z.url().optional(),
});

function readArgs(): Record<string, unknown> {
  try {
    return parseArgs({
      options: { port: { type: 'string', short: 'p' }, host: { type: 'string' }, 'public-url': { type: 'string' } },
    }).values;
  } catch (error) {
    console.error(`sandbox: ${(error as Error).message}\nusage: npm run sandbox -- [--port N] [--host 127.0.0.1] [--public-url URL]`);
    process.exit(2);
  }
}
const parsed = Args.safeParse(readArgs());
if (!parsed.success) {
  console.error(`sandbox: ${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}`);
  process.exit(2);
}
const args = parsed.data;

const sandbox = createSandbox({ publicUrl: args['public-url'] });
const server = await sandbox.listen(args.port, args.host).catch((error: Error) => {
  console.error(`sandbox: cannot listen on ${args.host}:${args.port}: ${error.message}`);
  process.exit(1);
});
console.log(`payment-checkout sandbox listening on ${server.url}

${sandbox.banner(args['public-url'] ?? server.url)}

Ctrl-C to stop.`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sandbox.close().then(() => process.exit(0));
  });
}
