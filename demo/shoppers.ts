import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * The demo's notion of a signed-in shopper, just enough for remembered cards: the shopper signs in with an
 * e-mail and a name (no password: it is a demo), the server keeps the session behind an HttpOnly cookie, and
 * every order and card registration records the shopper who made it. The companion's `resolveCustomer` then
 * asks the shop's server about an order, never the browser.
 */

export const SESSION_COOKIE = 'siam_session';

export const SignIn = z.strictObject({
  // The K-Payment customer API takes at most 50 characters of e-mail.
  email: z.email().max(50).transform((e) => e.toLowerCase()),
  name: z.string().trim().min(1).max(60),
});
export type SignIn = z.infer<typeof SignIn>;

export interface Shopper {
  /** The shop's own id of the shopper: stable for one e-mail address. */
  id: string;
  email: string;
  name: string;
}

export class ShopperBook {
  readonly #shoppers = new Map<string, Shopper>();
  readonly #sessions = new Map<string, string>();
  /** Card registrations started from the account page: reference → shopper id. */
  readonly #registrations = new Map<string, string>();

  signIn(input: SignIn): { sessionId: string; shopper: Shopper } {
    const id = `shopper_${input.email}`;
    const shopper = { id, email: input.email, name: input.name };
    this.#shoppers.set(id, shopper);
    const sessionId = randomBytes(24).toString('base64url');
    this.#sessions.set(sessionId, id);
    return { sessionId, shopper };
  }

  signOut(sessionId: string | null): void {
    if (sessionId) this.#sessions.delete(sessionId);
  }

  /** The shopper of a session cookie, or null for a guest. */
  ofSession(sessionId: string | null): Shopper | null {
    const id = sessionId ? this.#sessions.get(sessionId) : undefined;
    return id ? (this.#shoppers.get(id) ?? null) : null;
  }

  get(id: string | null): Shopper | null {
    return id ? (this.#shoppers.get(id) ?? null) : null;
  }

  /**
   * A reference for saving a card before buying: the companion asks `resolveCustomer` about it as it asks
   * about an order, so it is bound to the shopper here, on the server.
   */
  newRegistrationReference(shopper: Shopper): string {
    const reference = `cardreg_${randomBytes(12).toString('hex')}`;
    this.#registrations.set(reference, shopper.id);
    return reference;
  }

  shopperOfRegistration(reference: string): Shopper | null {
    return this.get(this.#registrations.get(reference) ?? null);
  }
}

/** The value of one cookie in a Cookie header (the demo needs no cookie library for one cookie). */
export function readCookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=') || null;
  }
  return null;
}
