/** One charge as the sandbox's Opn API lists it (the fields the reliability suites compare with the store). */
export interface ListedCharge {
  id: string;
  status: string;
  metadata?: { payment_id?: string; order_id?: string } | null;
}

/** An Opn charge's status as the companion's payment status (the suites' own reading, not the code's under test). */
export const STATUS_OF_CHARGE: Readonly<Record<string, string>> = { successful: 'succeeded', failed: 'failed', pending: 'pending', expired: 'expired' };

/** Every charge of the merchant with this secret key (`GET /charges`, page after page), oldest first. */
export async function listOpnCharges(sandboxUrl: string, secretKey: string): Promise<ListedCharge[]> {
  const authorization = `Basic ${Buffer.from(`${secretKey}:`).toString('base64')}`;
  const all: ListedCharge[] = [];
  for (;;) {
    const res = await fetch(`${sandboxUrl}/charges?limit=100&offset=${all.length}`, { headers: { authorization } });
    if (res.status !== 200) throw new Error(`the sandbox answered ${res.status} to GET /charges: ${await res.text()}`);
    const page = (await res.json()) as { data: ListedCharge[]; total: number };
    all.push(...page.data);
    if (all.length >= page.total || page.data.length === 0) return all;
  }
}
