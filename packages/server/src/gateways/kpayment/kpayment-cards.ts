import { CheckoutError } from '@payment-checkout/core';
import type { Logger } from '../../common/logger.ts';
import { type CustomerPurpose, type ResolveCustomer, Shopper } from '../../common/host.ts';
import type { CardStore } from '../../store/card-store.ts';
import type { KpaymentClient } from './kpayment-client.ts';
import { isDeadCustomer } from './kpayment-errors.ts';

/**
 * Remembered cards (guide §4.6): the merchant's signed-in shopper (`resolveCustomer`) maps to one K-Payment
 * customer, stored in the CardStore. A card is saved from the token of a charge that succeeded with
 * `savecard` (or a register-3D check): added to the shopper's customer, or a new customer is created.
 */
export class KpaymentCards {
  constructor(
    private readonly options: {
      client: KpaymentClient;
      store: CardStore | null;
      resolveCustomer: ResolveCustomer | undefined;
      logger: Logger;
      now: () => number;
    },
  ) {}

  /** Whether cards can be remembered at all (a shopper resolver and a store that keeps the mapping). */
  get enabled(): boolean {
    return Boolean(this.options.store && this.options.resolveCustomer);
  }

  /**
   * The order's signed-in shopper, or null (a guest, no resolver, or — to `show` cards — a browser that is not the
   * shopper's). A malformed answer is logged and treated as a guest.
   */
  async shopper(orderId: string, purpose: CustomerPurpose): Promise<Shopper | null> {
    if (!this.enabled) return null;
    let answer: unknown;
    try {
      answer = await this.options.resolveCustomer!(orderId, purpose);
    } catch (err) {
      this.options.logger.error('resolveCustomer failed (threw, or did not answer within orderLookupTimeoutMs)', { orderId, error: err });
      throw new CheckoutError('internal_error', 'The shopper could not be looked up.');
    }
    if (answer === null || answer === undefined) return null;
    const shopper = Shopper.safeParse(answer);
    if (!shopper.success) {
      this.options.logger.error('resolveCustomer answered something that is not { id, email, name }', { orderId, issues: shopper.error.issues });
      return null;
    }
    return shopper.data;
  }

  /**
   * The K-Payment customer id of the order's shopper, if the shopper has one (its cards show in the form). A shopper
   * lookup that fails or does not answer in time means no saved cards, not no checkout: it was logged, and the
   * shopper pays with a card typed in.
   */
  async customerIdFor(orderId: string): Promise<string | null> {
    const shopper = await this.shopper(orderId, 'show').catch(() => null);
    if (!shopper) return null;
    return (await this.options.store!.getShopperCustomer('kpayment', shopper.id))?.customerId ?? null;
  }

  /**
   * Saves the card behind `token` for the shopper: adds it to the shopper's customer, or creates one. One caller at
   * a time creates a shopper's customer (the store's claim): another, saving a second card meanwhile (a second tab),
   * gets `CardSaveBusy` and adds its card to that customer when tried again.
   */
  async save(shopper: Shopper, token: string): Promise<{ customerId: string; created: boolean; cards: number }> {
    const { client, store, now } = this.options;
    if (!store) throw new Error('no CardStore: cards cannot be remembered');
    const mapping = await store.getShopperCustomer('kpayment', shopper.id);
    if (mapping) {
      try {
        const customer = await client.addCard(mapping.customerId, { token });
        if (customer.email !== shopper.email || customer.name !== shopper.name) {
          await client.updateCustomer(customer.id, { email: shopper.email, name: shopper.name });
        }
        return { customerId: customer.id, created: false, cards: customer.cards.length };
      } catch (err) {
        // The customer was deleted at the gateway (or belongs elsewhere): a new one replaces it below.
        if (!isDeadCustomer(err)) throw err;
      }
    }
    const at = now();
    const claimed = await store.claimShopperCustomer('kpayment', shopper.id, new Date(at).toISOString(), {
      staleBefore: new Date(at - CUSTOMER_CLAIM_MS).toISOString(),
      ...(mapping ? { replacing: mapping.customerId } : {}),
    });
    if (!claimed) throw new CardSaveBusy();
    try {
      const customer = await client.createCustomer({ email: shopper.email, name: shopper.name, token });
      await store.saveShopperCustomer({ gateway: 'kpayment', shopperId: shopper.id, customerId: customer.id }, new Date(now()).toISOString());
      return { customerId: customer.id, created: true, cards: customer.cards.length };
    } catch (err) {
      await store.releaseShopperCustomer('kpayment', shopper.id).catch(() => undefined);
      throw err;
    }
  }
}

/** How long a claim to create a shopper's customer holds when its holder neither saves nor releases it (it died). */
export const CUSTOMER_CLAIM_MS = 2 * 60_000;

/** Another caller is creating the shopper's customer right now: the card is added to it when tried again. */
export class CardSaveBusy extends Error {
  override name = 'CardSaveBusy';
  constructor() {
    super("another card of the shopper is being saved (its customer is being created): this one is added to it when tried again");
  }
}
