#!/usr/bin/env node
// `payment-checkout-sandbox [--port N] [--host 127.0.0.1] [--public-url URL]` (`npm run sandbox -- …` in the
// repository): the sandbox on its own, on loopback.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createSandbox } from './sandbox.ts';

const Args = z.object({
  port: z.coerce.number({ error: 'must be a port number (0 to 65535)' }).int({ error: 'must be a port number (0 to 65535)' }).min(0, { error: 'must be a port number (0 to 65535)' }).max(65535, { error: 'must be a port number (0 to 65535)' }).default(8010),
  host: z
    .string()
    .default('127.0.0.1')
    .refine((h) => /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::1' || h === 'localhost', {
      error: 'the sandbox listens on loopback addresses only (127.x.x.x, ::1, localhost)',
    }),
  'public-url': z.url().optional(),
});

const USAGE = `usage: payment-checkout-sandbox [--port N] [--host 127.0.0.1] [--public-url URL]
  --port, -p     the port to listen on (default 8010; 0: any free port)
  --host         a loopback address (default 127.0.0.1)
  --public-url   the URL browsers reach it at, when not the one it listens on
  --help, -h     this text`;

function readArgs(): Record<string, unknown> {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      options: { port: { type: 'string', short: 'p' }, host: { type: 'string' }, 'public-url': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }).values;
  } catch (error) {
    console.error(`sandbox: ${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  delete values.help;
  return values;
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
