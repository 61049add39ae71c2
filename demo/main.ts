import { parseArgs } from 'node:util';
import { loadConfigFromEnv } from '@payment-checkout/server';
import { startDemo } from './app.ts';
import { type DemoServer, PortInUseError } from './port-in-use.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '3000' },
    'sandbox-port': { type: 'string', default: process.env.SANDBOX_PORT ?? '4000' },
    db: { type: 'string', default: process.env.DATABASE_URL ?? process.env.SQLITE_PATH ?? 'payment-checkout.db' },
    // Vite's dev server (`npm run dev`) in place of the production build of the pages.
    dev: { type: 'boolean', default: false },
  },
});

const publicKey = process.env.OPN_PUBLIC_KEY;
const secretKey = process.env.OPN_SECRET_KEY;
if (Boolean(publicKey) !== Boolean(secretKey)) {
  console.error('Set both OPN_PUBLIC_KEY and OPN_SECRET_KEY, or neither (then the demo runs against the sandbox).');
  process.exit(1);
}

const kpaymentPublicKey = process.env.KPAYMENT_PUBLIC_KEY;
const kpaymentSecretKey = process.env.KPAYMENT_SECRET_KEY;
const kpaymentMid = process.env.KPAYMENT_MID;
if ((kpaymentPublicKey || kpaymentSecretKey || kpaymentMid) && !(kpaymentPublicKey && kpaymentSecretKey && kpaymentMid)) {
  console.error('Set KPAYMENT_PUBLIC_KEY, KPAYMENT_SECRET_KEY and KPAYMENT_MID together, or none (then cards run against the sandbox).');
  process.exit(1);
}

// Tokens for the payments command line (the merchant page has its own, never shown), read as the companion reads them.
let operationsTokens: { name: string; token: string }[] | undefined;
if (process.env.CHECKOUT_OPERATIONS_TOKENS) {
  try {
    operationsTokens = loadConfigFromEnv({ CHECKOUT_OPERATIONS_TOKENS: process.env.CHECKOUT_OPERATIONS_TOKENS }).checkout.operations?.tokens;
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}

/** Where each server's port comes from, to name in a message when the port will not do. */
const PORT_SETTING: Record<DemoServer, { flag: string; env: string }> = {
  shop: { flag: '--port', env: 'PORT' },
  sandbox: { flag: '--sandbox-port', env: 'SANDBOX_PORT' },
};

function portOf(server: DemoServer, text: string): number {
  const port = Number(text);
  if (/^\d+$/.test(text) && port <= 65_535) return port;
  const { flag, env } = PORT_SETTING[server];
  console.error(`${flag} (or ${env}) must be a port number from 0 to 65535 (0: any free port), not "${text}".`);
  process.exit(1);
}

const demo = await startDemo({
  port: portOf('shop', values.port),
  sandboxPort: portOf('sandbox', values['sandbox-port']),
  db: values.db,
  dev: values.dev,
  opn: publicKey && secretKey ? { publicKey, secretKey, webhookSecret: process.env.OPN_WEBHOOK_SECRET } : undefined,
  kpayment:
    kpaymentPublicKey && kpaymentSecretKey && kpaymentMid
      ? { publicKey: kpaymentPublicKey, secretKey: kpaymentSecretKey, mid: kpaymentMid, dccMid: process.env.KPAYMENT_DCC_MID || undefined }
      : undefined,
  operationsTokens,
}).catch((err: unknown) => {
  // A taken port is the one start-up failure anyone can fix at once: one line with the way out, no stack.
  if (!(err instanceof PortInUseError)) throw err;
  const { flag, env } = PORT_SETTING[err.server];
  console.error(`Port ${err.port} (the ${err.server}'s) is already in use: pick another with ${flag} <number> or ${env}=<number> (0: any free port).`);
  process.exit(1);
});

console.log(`\n  Siam Market demo:   ${demo.url}/`);
if (demo.sandboxUrl && !(publicKey && secretKey)) {
  console.log(`  Sandbox (Opn):      ${demo.sandboxUrl}/  (merchant "demo": pkey_test_demo and its secret key, set in demo/app.ts)`);
}
if (demo.sandboxUrl && !kpaymentPublicKey) {
  console.log(`  Sandbox (cards):    ${demo.sandboxUrl}/  (K-Payment merchant pkey_test_demo; its settings: ${demo.url}/merchant.html)`);
}
console.log(
  operationsTokens
    ? `  Operations API:     ${demo.url}/operations  (payments CLI: PAYMENTS_API_URL=${demo.url}/operations PAYMENTS_API_TOKEN=<yours>; ${operationsTokens.map((t) => t.name).join(', ')})`
    : '  Operations API:     for the payments CLI, start with CHECKOUT_OPERATIONS_TOKENS=<name>:<32+ random characters>',
);
console.log('  Press Ctrl+C to stop.\n');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void demo.close().finally(() => process.exit(0));
  });
}
