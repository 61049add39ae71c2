import type { KpaymentCharges } from './charges.ts';
import { KpaymentApiError } from './errors.ts';
import { kpaymentId } from './ids.ts';
import type { CardRecord, CustomerRecord, KpaymentStore, Merchant } from './state.ts';

/** The Customer API (L2144–2582): customers with saved cards, created from the token of a successful charge. */
export class KpaymentCustomers {
  constructor(
    private readonly store: KpaymentStore,
    private readonly clock: { now(): number },
    private readonly charges: KpaymentCharges,
  ) {}

  create(merchant: Merchant, params: { email: string; name: string; token?: string }): CustomerRecord {
    const id = kpaymentId('cust');
    const card = params.token ? this.cardToSave(merchant, params.token, id) : null;
    const customer: CustomerRecord = {
      id,
      email: params.email,
      name: params.name,
      createdAt: this.clock.now(),
      cards: card ? [card] : [],
      defaultCardId: card?.id ?? null,
      deleted: false,
    };
    this.store.addCustomer(merchant, customer);
    return customer;
  }

  get(merchant: Merchant, customerId: string): CustomerRecord {
    return this.charges.customerOf(merchant, customerId);
  }

  update(merchant: Merchant, customerId: string, params: { email: string; name?: string; default_card?: string }): CustomerRecord {
    const customer = this.get(merchant, customerId);
    if (params.default_card !== undefined && !customer.cards.some((c) => c.id === params.default_card)) throw new KpaymentApiError('card_invalid');
    customer.email = params.email;
    if (params.name !== undefined) customer.name = params.name;
    if (params.default_card !== undefined) customer.defaultCardId = params.default_card;
    return customer;
  }

  delete(merchant: Merchant, customerId: string): CustomerRecord {
    const customer = this.get(merchant, customerId);
    customer.deleted = true;
    return customer;
  }

  addCard(merchant: Merchant, customerId: string, token: string | undefined): CustomerRecord {
    const customer = this.get(merchant, customerId);
    if (!token) throw new KpaymentApiError('mandatory_is_empty', 'Mandatory parameter is missing: token');
    const card = this.cardToSave(merchant, token, customer.id);
    // The same card number saved again stays one card.
    if (!customer.cards.some((c) => c.number === card.number)) customer.cards.push(card);
    customer.defaultCardId ??= customer.cards[0]?.id ?? null;
    return customer;
  }

  deleteCard(merchant: Merchant, customerId: string, cardId: string): CardRecord {
    const customer = this.get(merchant, customerId);
    const card = customer.cards.find((c) => c.id === cardId);
    if (!card) throw new KpaymentApiError('card_invalid');
    customer.cards = customer.cards.filter((c) => c !== card);
    if (customer.defaultCardId === card.id) customer.defaultCardId = customer.cards[0]?.id ?? null;
    return card;
  }

  /**
   * The card behind a token, for saving (§10.23): the token's charge must have succeeded (Authorized, or
   * Voided for register 3D) with `savecard`, and the token gets this one extra use; otherwise `used_token`
   * or `card_not_verified`.
   */
  private cardToSave(merchant: Merchant, tokenId: string, customerId: string): CardRecord {
    const token = merchant.tokens.get(tokenId);
    if (!token) throw new KpaymentApiError('token_invalid');
    if (token.savedBy) throw new KpaymentApiError('used_token');
    const charge = token.chargeId ? merchant.charges.get(token.chargeId) : undefined;
    if (!charge || charge.decidedAt === null || charge.status !== 'success') throw new KpaymentApiError('card_not_verified');
    if (!charge.savecard) throw new KpaymentApiError('used_token', 'Token was already used (its charge did not ask to save the card: savecard)');
    token.savedBy = customerId;
    return token.card;
  }
}
