import { randomInt } from 'node:crypto';
import { z } from 'zod';

/**
 * A merchant's fault scenario, the same for every gateway: latency, injected errors, timeouts and resets on API
 * requests, and dropped, delayed, duplicated, reordered or failed webhook deliveries. Each emulator parses it
 * with its own `parseParams` (its own 400), applies it in its API auth (`request-faults.ts`) and its delivery
 * queue, and words an injected error in its own error body.
 */

const integerText = z.string().regex(/^\s*-?\d+\s*$/).transform(Number);
const decimalText = z.string().regex(/^\s*(\d+\.?\d*|\.\d+)\s*$/).transform(Number);

/** Bodies may be form-encoded (every value a string), so numbers accept their text forms too. */
function integer(name: string, min: number, max: number) {
  const kind = { error: `${name} must be an integer` };
  return z
    .union([z.number(), integerText], { error: (issue) => (issue.input === undefined ? `${name} is required` : kind.error) })
    .pipe(z.number().int(kind).min(min, { error: `${name} must be at least ${min}` }).max(max, { error: `${name} must be at most ${max}` }));
}

function rate(name: string) {
  const error = `${name} must be a number from 0 to 1`;
  return z.union([z.number(), decimalText], { error }).pipe(z.number().min(0, { error }).max(1, { error }));
}

const ENDPOINT = /^(GET|POST|PUT|PATCH|DELETE) \/\S*$/;

/** `POST /charges`, or a list of them; `*` stands for one path segment (`GET /charges/*`). */
function endpoints(name: string) {
  const error = `${name} must be a method and a path, e.g. 'POST /charges' (or a list of them; * stands for one path segment)`;
  const one = z.string().regex(ENDPOINT, { error });
  return z.union([one, z.array(one).min(1)], { error });
}

/** What an injected request fault does: answer an error status, hold the request unanswered, or reset it. */
export const RequestFaultKind = z.enum(['error', 'timeout', 'reset'], { error: "fault must be 'error', 'timeout' or 'reset'" });
export type RequestFaultKind = z.infer<typeof RequestFaultKind>;

/**
 * How deliveries go out: `drop` never, `duplicate` twice, `delay` after `webhookDelayMs`, `reorder` each after its
 * own random hold of up to `webhookDelayMs`, so that a later event can arrive first.
 */
export const DeliveryMode = z.enum(['normal', 'drop', 'duplicate', 'delay', 'reorder'], {
  error: 'webhooks must be normal, drop, duplicate, delay or reorder',
});
export type DeliveryMode = z.infer<typeof DeliveryMode>;

export const FailNextParams = z
  .object({
    count: integer('failNext.count', 0, 10_000),
    status: integer('failNext.status', 400, 599).default(500),
    // `commit`: the request takes effect and only its answer is replaced (a charge made, its answer lost).
    after: z.enum(['commit'], { error: "failNext.after must be 'commit' (or absent)" }).optional(),
    // Absent: `error` (the status above).
    fault: RequestFaultKind.optional(),
    // Only requests with this method and path count and fail; others pass untouched.
    on: endpoints('failNext.on').optional(),
  })
  .strict();

export const RandomFaultParams = z
  .object({
    /** Shares of the matching requests answered with `status`, held unanswered, or reset (one draw each). */
    failRate: rate('random.failRate').default(0),
    timeoutRate: rate('random.timeoutRate').default(0),
    resetRate: rate('random.resetRate').default(0),
    status: integer('random.status', 400, 599).default(500),
    /** The share of those faults that come after the request took effect. */
    committedShare: rate('random.committedShare').default(0),
    on: endpoints('random.on').optional(),
    /** Per delivery: never sent, or sent once more. */
    webhookDropRate: rate('random.webhookDropRate').default(0),
    webhookDuplicateRate: rate('random.webhookDuplicateRate').default(0),
    /** Per attempt: sent, then cut off before the answer is read; recorded as failed and retried. */
    webhookFailRate: rate('random.webhookFailRate').default(0),
  })
  .strict()
  .refine((r) => r.failRate + r.timeoutRate + r.resetRate <= 1 + 1e-9, {
    error: 'random.failRate + random.timeoutRate + random.resetRate must be at most 1',
  });

/** A merchant's fault scenario; posting one replaces the previous one (`{}` resets). */
export const FaultScenarioParams = z
  .object({
    latencyMs: integer('latencyMs', 0, 120_000).default(0),
    failNext: FailNextParams.optional(),
    random: RandomFaultParams.optional(),
    /** How long a timed-out request is held before its connection is closed (default `DEFAULT_HANG_MS`). */
    hangMs: integer('hangMs', 0, 300_000).optional(),
    webhooks: DeliveryMode.default('normal'),
    webhookDelayMs: integer('webhookDelayMs', 0, 366 * 24 * 3600 * 1000).optional(),
    /** Seeds the random faults and the reorder holds; one is drawn (and shown) when absent, to replay a run. */
    seed: integer('seed', 0, 0xffff_ffff).optional(),
  })
  .strict();
export type FaultScenarioParams = z.output<typeof FaultScenarioParams>;
export type FaultScenarioInput = z.input<typeof FaultScenarioParams>;

/** The scenario's fields, for the emulators' self-descriptions (`GET /`, the banner). */
export const SCENARIO_FIELDS =
  '{latencyMs, failNext:{count,status?,fault?:"error"|"timeout"|"reset",after?:"commit",on?:"POST /charges"}, ' +
  'random:{failRate,timeoutRate,resetRate,status?,committedShare?,on?,webhookDropRate,webhookDuplicateRate,webhookFailRate}, ' +
  'hangMs?, webhooks:"normal"|"drop"|"duplicate"|"delay"|"reorder", webhookDelayMs?, seed?}';

export const DEFAULT_HANG_MS = 30_000;
/** Delay of `delay` deliveries, and the longest hold of `reorder`, when `webhookDelayMs` is not given. */
export const DEFAULT_DELIVERY_DELAY_MS = 30_000;

/** A small seeded generator (mulberry32): the same seed gives the same faults in the same order. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** One request's fault, decided when it arrives. */
export interface RequestFault {
  kind: RequestFaultKind;
  status: number;
  /** After the request took effect: the handler runs and only its answer is replaced, held or reset. */
  afterEffect: boolean;
  source: 'failNext' | 'random';
}

/** What the scenario has done so far (for a run's figures); reset with the scenario. */
export interface InjectedCounts {
  errors: number;
  timeouts: number;
  resets: number;
  afterEffect: number;
  webhooksDropped: number;
  webhooksDuplicated: number;
  webhookAttemptsFailed: number;
}

function matcher(on: string | string[] | undefined): (endpoint: string) => boolean {
  if (on === undefined) return () => true;
  const patterns = (Array.isArray(on) ? on : [on]).map(
    (p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '[^/]+')}$`),
  );
  return (endpoint) => patterns.some((p) => p.test(endpoint));
}

/** A merchant's scenario in force: its parameters, what is left of `failNext`, and its two random streams. */
export class FaultScenario {
  readonly params: FaultScenarioParams;
  readonly seed: number;
  private readonly injected: InjectedCounts = {
    errors: 0, timeouts: 0, resets: 0, afterEffect: 0, webhooksDropped: 0, webhooksDuplicated: 0, webhookAttemptsFailed: 0,
  };
  // Two streams, so that webhooks going out between requests do not shift the requests' faults.
  private readonly requestDraw: () => number;
  private readonly deliveryDraw: () => number;
  private readonly failNextOn: (endpoint: string) => boolean;
  private readonly randomOn: (endpoint: string) => boolean;

  constructor(params: FaultScenarioParams = { latencyMs: 0, webhooks: 'normal' }) {
    this.params = structuredClone(params);
    this.seed = params.seed ?? randomInt(0xffff_ffff);
    this.requestDraw = seededRandom(this.seed);
    this.deliveryDraw = seededRandom(this.seed ^ 0x9e37_79b9);
    this.failNextOn = matcher(params.failNext?.on);
    this.randomOn = matcher(params.random?.on);
  }

  get latencyMs(): number {
    return this.params.latencyMs;
  }

  get hangMs(): number {
    return this.params.hangMs ?? DEFAULT_HANG_MS;
  }

  /** The fault for a request to `endpoint` (`POST /charges`), if any: `failNext` first, then a random draw. */
  requestFault(endpoint: string): RequestFault | null {
    const fault = this.decide(endpoint);
    if (fault) {
      this.injected[fault.kind === 'error' ? 'errors' : fault.kind === 'timeout' ? 'timeouts' : 'resets'] += 1;
      if (fault.afterEffect) this.injected.afterEffect += 1;
    }
    return fault;
  }

  /** When each copy of one delivery is due (none: dropped), under `mode` (by default the scenario's). */
  deliveryTimes(now: number, mode: DeliveryMode = this.params.webhooks): number[] {
    const random = this.params.random;
    // Every delivery takes the same draws, whatever they decide, so that a seed replays the same run.
    const dropped = random ? this.deliveryDraw() < random.webhookDropRate : false;
    const extra = random ? this.deliveryDraw() < random.webhookDuplicateRate : false;
    if (mode === 'drop' || dropped) {
      this.injected.webhooksDropped += 1;
      return [];
    }
    const copies = (mode === 'duplicate' ? 2 : 1) + (extra ? 1 : 0);
    this.injected.webhooksDuplicated += copies - 1;
    const delay = this.params.webhookDelayMs ?? DEFAULT_DELIVERY_DELAY_MS;
    return Array.from({ length: copies }, () => {
      if (mode === 'delay') return now + delay;
      if (mode === 'reorder') return now + Math.floor(this.deliveryDraw() * (delay + 1));
      return now;
    });
  }

  /** Whether this delivery attempt's answer is to be lost (sent, then cut off), per `random.webhookFailRate`. */
  losesDeliveryAnswer(): boolean {
    const rate = this.params.random?.webhookFailRate ?? 0;
    if (rate === 0) return false;
    const lost = this.deliveryDraw() < rate;
    if (lost) this.injected.webhookAttemptsFailed += 1;
    return lost;
  }

  /** The scenario as the controls show it: the parameters, the seed in use, and what was injected so far. */
  view() {
    return { ...structuredClone(this.params), seed: this.seed, injected: { ...this.injected } };
  }

  private decide(endpoint: string): RequestFault | null {
    const failNext = this.params.failNext;
    if (failNext && failNext.count > 0 && this.failNextOn(endpoint)) {
      failNext.count -= 1;
      return { kind: failNext.fault ?? 'error', status: failNext.status, afterEffect: failNext.after === 'commit', source: 'failNext' };
    }
    const random = this.params.random;
    if (!random || !this.randomOn(endpoint)) return null;
    // Two draws for every matching request, whatever they decide: counts then depend on the seed only.
    const draw = this.requestDraw();
    const afterEffect = this.requestDraw() < random.committedShare;
    const kind: RequestFaultKind | null =
      draw < random.failRate
        ? 'error'
        : draw < random.failRate + random.timeoutRate
          ? 'timeout'
          : draw < random.failRate + random.timeoutRate + random.resetRate
            ? 'reset'
            : null;
    return kind ? { kind, status: random.status, afterEffect, source: 'random' } : null;
  }
}

export type FaultScenarioView = ReturnType<FaultScenario['view']>;

/** Whatever holds a scenario (each gateway's merchant). */
export interface ScenarioHolder {
  scenario: FaultScenario;
}

/** Replaces the holder's scenario (counters and `failNext` start again); answers its view. */
export function replaceScenario(holder: ScenarioHolder, params: FaultScenarioParams): FaultScenarioView {
  holder.scenario = new FaultScenario(params);
  return holder.scenario.view();
}

/** The scenario as the control endpoints answer it. */
export function scenarioWire(holder: ScenarioHolder) {
  return { object: 'scenario' as const, ...holder.scenario.view() };
}
