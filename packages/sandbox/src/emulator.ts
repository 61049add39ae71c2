import type { ErrorRequestHandler, Router } from 'express';
import type { SandboxClock } from './clock.ts';

/** What the sandbox hands every emulator's factory. */
export interface EmulatorContext {
  /** The one sandbox clock: emulators read it and register their timers (expiry, delivery retries) on it. */
  clock: Pick<SandboxClock, 'now' | 'addSource'>;
  /** Origin to put in the URLs an emulator hands out (pages, scripts); by default the origin each request came to. */
  publicUrl?: string;
  /** `createSandbox`'s `webhookRetryDelaysMs`, if given; each emulator says whether it applies them and has its own default. */
  webhookRetryDelaysMs?: readonly number[];
}

/** A refusal the sandbox itself makes, outside every emulator's routes, written in an emulator's error shape. */
export type SandboxRefusal = 'not_found' | 'bad_request';

/**
 * One gateway's emulator, as `createSandbox` mounts it: everything it serves at the gateway's own paths on the
 * sandbox's one app and port, its in-process controls, and what it says about itself. Its factory takes an
 * `EmulatorContext`; `emulators.ts` lists the factories.
 */
export interface GatewayEmulator<Id extends string = string, Controls = unknown, Description = unknown> {
  /** Stable identifier: the key of its controls on the `Sandbox` and of its part of `GET /`. */
  readonly id: Id;
  /**
   * API, pages, scripts and `/_sandbox/<id>/…` controls at the sandbox's root, ending with its own error
   * handler (and, if it likes, its own 404 under its paths). Paths must not overlap another emulator's.
   */
  readonly router: Router;
  /** In-process controls, the same as its control endpoints. */
  readonly controls: Controls;
  /** Whether a path no route answered is its own, so that the 404 comes in its error shape. */
  owns(path: string): boolean;
  /** Its gateway's error body: for its paths' 404 and, when it is the fallback, the sandbox's own refusals. */
  errorBody(refusal: SandboxRefusal, message: string): object;
  /** Its gateway's error handler; the fallback's handles errors outside every emulator's router. */
  readonly errorHandler: ErrorRequestHandler;
  /** What it serves (API base, scripts, endpoints, controls), for the sandbox's `GET /`. */
  describe(origin: string): Description;
  /** The same for the standalone command's banner: a paragraph, and its control endpoints. */
  banner(origin: string): { about: string; controls: readonly string[] };
  /** Stops its timers and deliveries. */
  close(): void;
}

/** Whether `path` is one of `prefixes` or below one, the way Express matches a mount path (case-insensitive). */
export function underPrefix(path: string, prefixes: readonly string[]): boolean {
  const lower = path.toLowerCase();
  return prefixes.some((prefix) => {
    const p = prefix.toLowerCase();
    return lower === p || lower.startsWith(`${p}/`);
  });
}
