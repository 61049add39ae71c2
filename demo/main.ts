import { parseArgs } from 'node:util';
import { startDemo } from './app.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '3000' },
    'sandbox-port': { type: 'string', default: process.env.SANDBOX_PORT ?? '4000' },
    db: { type: 'string', default: process.env.SQLITE_PATH ?? 'payment-checkout.db' },
  },
});

const publicKey = process.env.OPN_PUBLIC_KEY;
const secretKey = process.env.OPN_SECRET_KEY;
if (Boolean(publicKey) !== Boolean(secretKey)) {
  console.error('Set both OPN_PUBLIC_KEY and OPN_SECRET_KEY, or neither (then the demo runs against the sandbox).');
  process.exit(1);
}

const demo = await startDemo({
  port: Number(values.port),
  sandboxPort: Number(values['sandbox-port']),
  db: values.db,
  opn: publicKey && secretKey ? { publicKey, secretKey, webhookSecret: process.env.OPN_WEBHOOK_SECRET } : undefined,
});

console.log(`\n  Siam Market demo:   ${demo.url}/`);
if (demo.sandboxUrl) console.log(`  Sandbox (Opn):      ${demo.sandboxUrl}/  (merchant "demo": pkey_test_demo and its secret key, set in demo/app.ts)`);
console.log('  Press Ctrl+C to stop.\n');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void demo.close().finally(() => process.exit(0));
  });
}
