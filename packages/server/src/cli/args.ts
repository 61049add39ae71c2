import { parseArgs } from 'node:util';
import { z } from 'zod';
import { CURRENCY_EXPONENT, type Currency, decimalToMinor } from '@payment-checkout/core';
import { OperationBody } from '../services/money-operations.ts';
import { IdempotencyKey } from '../services/operation-replay.ts';
import { PaymentListQuery } from '../services/operations.ts';
import { UsageError } from './exit-codes.ts';

/** Every flag `payments` knows; each command accepts the common ones and its own (COMMANDS). */
const OPTIONS = {
  url: { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  order: { type: 'string' },
  status: { type: 'string' },
  method: { type: 'string' },
  gateway: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  limit: { type: 'string' },
  cursor: { type: 'string' },
  all: { type: 'boolean' },
  amount: { type: 'string' },
  reason: { type: 'string' },
  'idempotency-key': { type: 'string' },
} as const;
type OptionName = keyof typeof OPTIONS;

const COMMON: readonly OptionName[] = ['url', 'token', 'json', 'help'];

interface CommandSpec {
  /** Whether it names one payment (`payments show <id>`). */
  id: boolean;
  options: readonly OptionName[];
}

export const COMMANDS = {
  list: { id: false, options: ['order', 'status', 'method', 'gateway', 'from', 'to', 'limit', 'cursor', 'all'] },
  show: { id: true, options: [] },
  refund: { id: true, options: ['amount', 'reason', 'idempotency-key'] },
  void: { id: true, options: ['reason', 'idempotency-key'] },
  settle: { id: true, options: ['amount', 'idempotency-key'] },
  capture: { id: true, options: ['idempotency-key'] },
  reverse: { id: true, options: ['idempotency-key'] },
  expire: { id: true, options: ['idempotency-key'] },
  cancel: { id: true, options: ['idempotency-key'] },
  check: { id: true, options: [] },
  reconcile: { id: false, options: [] },
  help: { id: false, options: [] },
} as const satisfies Record<string, CommandSpec>;
export type CommandName = keyof typeof COMMANDS;

type ParsedArgs = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
export type Flags = ParsedArgs['values'];

export interface Invocation {
  command: CommandName;
  /** The payment id, for the commands that take one; '' otherwise. */
  id: string;
  flags: Flags;
}

const isCommand = (name: string): name is CommandName => Object.hasOwn(COMMANDS, name);

/** Reads the command line; throws UsageError for anything it cannot use. `--help` anywhere means `help`. */
export function parseInvocation(argv: readonly string[]): Invocation {
  let parsed: ParsedArgs & { tokens: { kind: string; name?: string; rawName?: string }[] };
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  // A flag given twice is a mistake to show, not one to settle silently (the API refuses a repeated parameter too).
  const given = new Set<string>();
  for (const token of parsed.tokens) {
    if (token.kind !== 'option' || !token.name) continue;
    if (given.has(token.name)) throw new UsageError(`${token.rawName ?? `--${token.name}`} is given more than once.`);
    given.add(token.name);
  }
  const { values: flags, positionals } = parsed;
  const [name, ...operands] = positionals;
  if (flags.help) return { command: 'help', id: '', flags };
  if (name === undefined) throw new UsageError('No command given.');
  if (!isCommand(name)) throw new UsageError(`Unknown command "${name}".`);
  const spec: CommandSpec = COMMANDS[name];
  const allowed = new Set([...COMMON, ...spec.options]);
  const foreign = (Object.keys(flags) as OptionName[]).filter((flag) => !allowed.has(flag));
  if (foreign.length > 0) throw new UsageError(`payments ${name} takes no ${foreign.map((f) => `--${f}`).join(', ')}.`);
  if (name === 'help') return { command: name, id: '', flags };
  if (spec.id && operands.length === 0) throw new UsageError(`payments ${name} needs a payment id: payments ${name} <id>.`);
  const expected = spec.id ? 1 : 0;
  if (operands.length > expected) throw new UsageError(`Unexpected argument "${operands[expected]}".`);
  if (flags.reason !== undefined) checkReason(flags.reason);
  if (flags.amount !== undefined) checkAmountText(flags.amount);
  const key = flags['idempotency-key'];
  if (key !== undefined && !IdempotencyKey.safeParse(key).success) throw new UsageError('--idempotency-key must be 1 to 255 visible ASCII characters (no spaces).');
  return { command: name, id: operands[0] ?? '', flags };
}

/** `--reason` by the API's own rule (trimmed, 1–255 characters), so that a bad one is refused here. */
function checkReason(reason: string): void {
  const checked = OperationBody.safeParse({ reason });
  if (!checked.success) throw new UsageError(`--reason: ${checked.error.issues.map((i) => i.message).join('; ')}`);
}

const MAX_DECIMALS = Math.max(...Object.values(CURRENCY_EXPONENT));

/**
 * An amount as typed (`12.50`, major units): plain digits, positive, no more decimals than any currency has.
 * The payment's own currency is checked later (`toMinorUnits`), once the payment is read.
 */
function checkAmountText(text: string): void {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new UsageError(`--amount must be a positive amount in major units, like 12.50 (got "${text}").`);
  if (!/[1-9]/.test(text)) throw new UsageError('--amount must be more than 0.');
  if ((match[2] ?? '').replace(/0+$/, '').length > MAX_DECIMALS) throw new UsageError(`--amount has too many decimals: ${text}.`);
}

/** `--amount` in the payment's currency's minor units (`12.50` THB → 1250; JPY takes no decimals). */
export function toMinorUnits(text: string, currency: Currency): number {
  try {
    const minor = decimalToMinor(text, currency);
    if (!Number.isSafeInteger(minor) || minor <= 0) throw new RangeError(`not a positive amount: ${text}`);
    return minor;
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(`--amount ${text}: ${error.message} (the payment is in ${currency}).`);
    throw error;
  }
}

const IsoDate = z.iso.date();
/** The API's own reading of a time filter (a date-time with Z or an offset). */
const IsoInstant = PaymentListQuery.shape.createdFrom;

/**
 * `--from`/`--to` as the API takes them: a date alone (`2031-02-01`) is that day's start in UTC, said so in the
 * help; a date-time goes as it is, when it has Z or an offset (a local time would mean the API's zone, not ours).
 */
function instantText(flag: 'from' | 'to', text: string): string {
  if (IsoDate.safeParse(text).success) return `${text}T00:00:00Z`;
  if (IsoInstant.safeParse(text).success) return text;
  throw new UsageError(`--${flag}: "${text}" is not a date (2031-02-01, from 00:00 UTC) or a date-time with Z or an offset (2031-02-01T09:00:00+07:00).`);
}

/** The list flags, by the API's query names. */
const LIST_QUERY = { order: 'orderId', status: 'status', method: 'method', gateway: 'gateway', from: 'createdFrom', to: 'createdTo', limit: 'limit', cursor: 'cursor' } as const;

/**
 * The `GET /payments` query for `payments list`, checked with the API's own schema first, so that a typo is a
 * usage error here (nothing sent) rather than a 400. `--all` reads pages of 100 unless `--limit` says otherwise.
 */
export function listQuery(flags: Flags): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [flag, param] of Object.entries(LIST_QUERY)) {
    const value = flags[flag as keyof typeof LIST_QUERY];
    if (value !== undefined) query[param] = flag === 'from' || flag === 'to' ? instantText(flag, value) : value;
  }
  if (flags.all && query.limit === undefined) query.limit = '100';
  const checked = PaymentListQuery.safeParse(query);
  if (!checked.success) {
    const flagOf = (param: PropertyKey) => Object.entries(LIST_QUERY).find(([, p]) => p === param)?.[0] ?? String(param);
    throw new UsageError(checked.error.issues.map((i) => `--${flagOf(i.path[0] ?? '')}: ${i.message}`).join('; '));
  }
  return query;
}
