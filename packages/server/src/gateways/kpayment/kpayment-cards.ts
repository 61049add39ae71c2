import { CheckoutError } from '@payment-checkout/core';
import type { Logger } from '../../common/logger.ts';
import { type ResolveCustomer, Shopper } from '../../common/host.ts';
import type { CardStore } from '../../store/store.ts';
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

  /** The order's signed-in shopper, or null (a guest, or no resolver). A malformed answer is logged and treated as a guest. */
  async shopper(orderId: string): Promise<Shopper | null> {
    if (!this.enabled) return null;
    let answer: unknown;
    try {
      answer = await this.options.resolveCustomer!(orderId);
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
    const shopper = await this.shopper(orderId).catch(() => null);
    if (!shopper) return null;
    return (await this.options.store!.getShopperCustomer('kpayment', shopper.id))?.customerId ?? null;
  }

  /** Saves the card behind `token` for the shopper: add it to the shopper's customer, or create one. */
  async save(shopper: Shopper, token: string): Promise<{ customerId: string; created: boolean; cards: number }> {
    const { client, store } = this.options;
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
    const customer = await client.createCustomer({ email: shopper.email, name: shopper.name, token });
    await store.saveShopperCustomer({ gateway: 'kpayment', shopperId: shopper.id, customerId: customer.id }, new Date(this.options.now()).toISOString());
    return { customerId: customer.id, created: true, cards: customer.cards.length };
  }
}
