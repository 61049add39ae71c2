import { randomUUID } from 'node:crypto';
import type { MoneyOperation } from '../gateways/operations.ts';
import type { OperationBody } from '../services/money-operations.ts';
import type { PaymentDetail, PaymentPage } from '../services/operations.ts';
import type { ApiAnswer, OperationsClient } from './api-client.ts';
import { type CommandName, type Invocation, listQuery, toMinorUnits } from './args.ts';
import { formatPaymentDetail, formatPaymentTable, formatReconcileReport } from './format.ts';

/** Where a command writes: stdout for its answer, stderr for notes (the next page's cursor). */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

type Run = (client: OperationsClient, invocation: Invocation, output: Output) => Promise<void>;

/** A command that acts on one payment and answers its detail; the headline says what was done. */
const operation =
  (name: string, call: (client: OperationsClient, invocation: Invocation) => Promise<ApiAnswer<PaymentDetail>>): Run =>
  async (client, invocation, output) => {
    const answer = await call(client, invocation);
    if (invocation.flags.json) return output.out(answer.text);
    const { payment } = answer.body;
    output.out(`${name}: ${payment.id} is ${payment.status}.\n\n${formatPaymentDetail(answer.body)}`);
  };

/**
 * A money operation, sent under an Idempotency-Key (`--idempotency-key`, else a new one): when its answer is lost, the
 * same command with that key learns what it did, and cannot do it twice.
 */
const money = (name: MoneyOperation, body: (client: OperationsClient, invocation: Invocation) => Promise<OperationBody> = async () => ({})): Run =>
  operation(name, async (client, invocation) =>
    client.operate(invocation.id, name, await body(client, invocation), invocation.flags['idempotency-key'] ?? randomUUID()),
  );

/**
 * `--amount` in minor units of the payment's currency: the payment is read first (a GET, which acts on
 * nothing), so that `12.50` means 1250 satang for THB and is refused for JPY before anything is sent.
 */
async function amountOf(client: OperationsClient, { id, flags }: Invocation): Promise<number | undefined> {
  if (flags.amount === undefined) return undefined;
  const { body } = await client.payment(id);
  return toMinorUnits(flags.amount, body.payment.currency);
}

async function list(client: OperationsClient, invocation: Invocation, output: Output): Promise<void> {
  const { flags } = invocation;
  const query = listQuery(flags);
  if (!flags.all) {
    const page = await client.listPayments(query);
    if (flags.json) return output.out(page.text);
    output.out(formatPaymentTable(page.body.data));
    if (page.body.nextCursor) output.err(`More: add --cursor ${page.body.nextCursor} (or --all).`);
    return;
  }
  // --all: every page from the cursor on, answered as one page of the API's shape (nextCursor null).
  const all: PaymentPage = { data: [], nextCursor: null };
  const seen = new Set<string>();
  let cursor: string | null | undefined = query.cursor;
  do {
    const page = await client.listPayments(cursor ? { ...query, cursor } : query);
    all.data.push(...page.body.data);
    cursor = page.body.nextCursor;
    if (cursor && seen.has(cursor)) throw new Error(`The API repeated the cursor ${cursor}; stopping.`);
    if (cursor) seen.add(cursor);
  } while (cursor);
  output.out(flags.json ? JSON.stringify(all) : formatPaymentTable(all.data));
}

async function show(client: OperationsClient, { id, flags }: Invocation, output: Output): Promise<void> {
  const answer = await client.payment(id);
  output.out(flags.json ? answer.text : formatPaymentDetail(answer.body));
}

async function reconcile(client: OperationsClient, { flags }: Invocation, output: Output): Promise<void> {
  const answer = await client.reconcile();
  output.out(flags.json ? answer.text : formatReconcileReport(answer.body));
}

/** Every command but `help`, which needs no API (main.ts answers it). */
export const RUN: Record<Exclude<CommandName, 'help'>, Run> = {
  list,
  show,
  check: operation('check', (c, { id }) => c.check(id)),
  refund: money('refund', async (c, inv) => ({ amount: await amountOf(c, inv), reason: inv.flags.reason })),
  void: money('void', async (_c, { flags }) => ({ reason: flags.reason })),
  settle: money('settle', async (c, inv) => ({ amount: await amountOf(c, inv) })),
  capture: money('capture'),
  reverse: money('reverse'),
  expire: money('expire'),
  cancel: money('cancel'),
  reconcile,
};
