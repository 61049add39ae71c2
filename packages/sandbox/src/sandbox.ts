import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { z } from 'zod';
import { SandboxClock } from './clock.ts';
import { DEFAULT_WEBHOOK_RETRY_DELAYS_MS } from './opn/data.ts';
import { opnErrorBody, opnErrorHandler } from './opn/errors.ts';
import { type OpnControls, createOpnEmulator } from './opn/index.ts';
import { isoTime } from './opn/serialize.ts';
import { type KpaymentControls, describeKpayment, kpaymentRoutes } from './kpayment/index.ts';

export interface SandboxOptions {
  /** Sandbox time at creation (epoch ms); it then runs at real speed plus whatever `clock.advance` adds. */
  startTime?: number;
  /** Delays of sandbox time between webhook attempts; one retry per entry. */
  webhookRetryDelaysMs?: number[];
  /** Origin to put in `authorize_uri` (e.g. behind a proxy); by default the origin each request came to. */
  publicUrl?: string;
}

export interface ListeningSandbox {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface Sandbox {
  /** The whole emulator as one Express app. */
  app: Express;
  /** Sandbox time = real time + offset; `advance` runs expiry timers and due webhook retries on the way. */
  clock: { now(): number; advance(ms: number): Promise<void> };
  /** Serves the app on `host:port` (default 127.0.0.1, a random port). */
  listen(port?: number, host?: string): Promise<ListeningSandbox>;
  /** Stops timers, webhook deliveries and every server started by `listen`. */
  close(): Promise<void>;
  /** In-process controls of the Opn emulator (the same as its `/_sandbox/…` endpoints). */
  opn: OpnControls;
  /** In-process controls of the K-Payment emulator (the same as its `/_sandbox/kpayment/…` endpoints). */
  kpayment: KpaymentControls;
}

const SandboxOptionsSchema = z.object({
  startTime: z.number().int().nonnegative().optional(),
  webhookRetryDelaysMs: z.array(z.number().int().nonnegative()).optional(),
  publicUrl: z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, '')).optional(),
});

const AdvanceClock = z.object({
  ms: z.preprocess((v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v), z.number().int().min(0)),
});

/** Builds the sandbox without listening (tests build as many as they like; main.ts listens). */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const config = SandboxOptionsSchema.parse(options);
  const clock = new SandboxClock(config.startTime);
  const opn = createOpnEmulator({
    clock,
    webhookRetryDelaysMs: config.webhookRetryDelaysMs ?? DEFAULT_WEBHOOK_RETRY_DELAYS_MS,
    publicUrl: config.publicUrl,
  });
  const kpayment = kpaymentRoutes({ clock, publicUrl: config.publicUrl });

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.get('/', (req, res) => {
    const origin = config.publicUrl ?? `${req.protocol}://${req.get('host')}`;
    res.json(describeSandbox(origin));
  });

  // Time is global: one clock for every merchant (and, later, every gateway).
  app.get('/_sandbox/clock', (_req, res) => res.json(clockView(clock.now())));
  app.post('/_sandbox/clock/advance', express.json(), express.urlencoded({ extended: false }), async (req, res) => {
    const parsed = AdvanceClock.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400).json(opnErrorBody('bad_request', 'ms must be a non-negative integer number of milliseconds'));
      return;
    }
    await clock.advance(parsed.data.ms);
    res.json(clockView(clock.now()));
  });

  app.use(opn.router);
  // K-Payment's paths (/card/v2, /ui/v2, /KPGW-…, /_sandbox/kpayment) do not overlap Opn's.
  app.use(kpayment.router);

  app.use((req, res) => {
    res.status(404).json(opnErrorBody('not_found', `path ${req.method} ${req.path} not found`));
  });
  // Errors outside a gateway's own router (the clock's body, say) get the same error shape.
  app.use(opnErrorHandler);

  const servers = new Set<ListeningSandbox>();
  clock.start();

  return {
    app,
    clock: { now: () => clock.now(), advance: (ms) => clock.advance(ms) },
    opn: opn.controls,
    kpayment: kpayment.controls,
    async listen(port = 0, host = '127.0.0.1') {
      const server = createServer(app);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const address = server.address() as AddressInfo;
      const hostname = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      const listening: ListeningSandbox = {
        url: new URL(`http://${hostname}:${address.port}`).origin,
        port: address.port,
        close: () =>
          new Promise<void>((resolve) => {
            servers.delete(listening);
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      };
      servers.add(listening);
      return listening;
    },
    async close() {
      clock.stop();
      opn.close();
      kpayment.close();
      await Promise.all([...servers].map((s) => s.close()));
    },
  };
}

function clockView(now: number) {
  return { object: 'clock', now: isoTime(now), now_ms: now };
}

/** What the sandbox serves, for `GET /` and the standalone command's banner. */
export function describeSandbox(origin: string) {
  return {
    object: 'sandbox',
    name: 'payment-checkout sandbox',
    opn: {
      api: origin,
      vault: origin,
      omise_js: `${origin}/omise.js`,
      keys: 'any pkey_test_<x> / skey_test_<x> pair is a merchant of its own',
      endpoints: [
        'POST /sources',
        'GET /sources/:id',
        'POST /charges',
        'GET /charges',
        'GET /charges/:id',
        'POST /charges/:id/expire',
        'POST /charges/:id/capture',
        'POST /charges/:id/reverse',
        'POST|GET /charges/:id/refunds',
        'GET /events',
        'GET /events/:id',
        'GET /payments/:id/authorize',
      ],
      controls: [
        'POST /_sandbox/opn/webhooks {url} (secret key)',
        'POST /_sandbox/scenario {latencyMs, failNext:{count,status}, webhooks, webhookDelayMs} (secret key)',
        'POST /_sandbox/opn/charges/:id/complete {result, failure_code} (secret key)',
        'GET /_sandbox/opn/webhook-deliveries (secret key)',
        'POST /_sandbox/clock/advance {ms}',
        'GET /_sandbox/clock',
      ],
    },
    kpayment: describeKpayment(origin),
  };
}
