import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { z } from 'zod';
import { SandboxClock, clockView } from './clock.ts';
import type { EmulatorContext } from './emulator.ts';
import { EMULATORS, type EmulatorControls, type EmulatorDescriptions, FALLBACK_EMULATOR } from './emulators.ts';

export interface SandboxOptions {
  /** Sandbox time at creation (epoch ms); it then runs at real speed plus whatever `clock.advance` adds. */
  startTime?: number;
  /** Delays of sandbox time between webhook attempts; one retry per entry (emulators that retry say whether they apply it). */
  webhookRetryDelaysMs?: number[];
  /** Origin to put in `authorize_uri` and the other URLs handed out (e.g. behind a proxy); by default the origin each request came to. */
  publicUrl?: string;
}

export interface ListeningSandbox {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** `GET /`: the sandbox, then each emulator's description under its id. */
export type SandboxDescription = { object: 'sandbox'; name: string } & EmulatorDescriptions;

/** The sandbox, with each emulator's in-process controls under its id (`sandbox.<id>`, see `emulators.ts`). */
export interface Sandbox extends EmulatorControls {
  /** The whole emulator as one Express app. */
  app: Express;
  /** Sandbox time = real time + offset; `advance` runs expiry timers and due webhook retries on the way. */
  clock: { now(): number; advance(ms: number): Promise<void> };
  /** Serves the app on `host:port` (default 127.0.0.1, a random port). */
  listen(port?: number, host?: string): Promise<ListeningSandbox>;
  /** Stops timers, webhook deliveries and every server started by `listen`. */
  close(): Promise<void>;
  /** What it serves at `origin`: the body of `GET /`. */
  describe(origin: string): SandboxDescription;
  /** The same as text, for the standalone command's banner. */
  banner(origin: string): string;
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
  const context: EmulatorContext = { clock, publicUrl: config.publicUrl, webhookRetryDelaysMs: config.webhookRetryDelaysMs };
  const emulators = EMULATORS.map((create) => create(context));
  const fallback = emulators.find((emulator) => emulator.id === FALLBACK_EMULATOR)!;

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  const describe = (origin: string) =>
    Object.fromEntries([
      ['object', 'sandbox'],
      ['name', 'payment-checkout sandbox'],
      ...emulators.map((emulator) => [emulator.id, emulator.describe(origin)]),
    ]) as SandboxDescription;
  app.get('/', (req, res) => {
    res.json(describe(config.publicUrl ?? `${req.protocol}://${req.get('host')}`));
  });

  // Time is global: one clock for every merchant and every gateway.
  app.get('/_sandbox/clock', (_req, res) => res.json(clockView(clock.now())));
  app.post('/_sandbox/clock/advance', express.json(), express.urlencoded({ extended: false }), async (req, res) => {
    const parsed = AdvanceClock.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400).json(fallback.errorBody('bad_request', 'ms must be a non-negative integer number of milliseconds'));
      return;
    }
    await clock.advance(parsed.data.ms);
    res.json(clockView(clock.now()));
  });

  // Their paths do not overlap, so the order only decides who sees a request first.
  for (const emulator of emulators) app.use(emulator.router);

  app.use((req, res) => {
    const owner = emulators.find((emulator) => emulator.owns(req.path)) ?? fallback;
    res.status(404).json(owner.errorBody('not_found', `path ${req.method} ${req.path} not found`));
  });
  // Errors outside every emulator's router (the clock's body, say) get the fallback's error shape.
  app.use(fallback.errorHandler);

  const servers = new Set<ListeningSandbox>();
  clock.start();

  return {
    app,
    ...(Object.fromEntries(emulators.map((emulator) => [emulator.id, emulator.controls])) as EmulatorControls),
    clock: { now: () => clock.now(), advance: (ms) => clock.advance(ms) },
    describe,
    banner: (origin) => {
      const banners = emulators.map((emulator) => emulator.banner(origin));
      const controls = banners.flatMap((banner) => banner.controls).map((control) => `  ${control}`);
      return [...banners.map((banner) => banner.about), `Controls\n${controls.join('\n')}`].join('\n\n');
    },
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
      for (const emulator of emulators) emulator.close();
      await Promise.all([...servers].map((s) => s.close()));
    },
  };
}
