import { CheckoutError, type Locale, type NextAction, customerMessage, decimalToMinor, kpaymentState } from '@payment-checkout/core';
import type { Logger } from '../../common/logger.ts';
import type { CardRegistrationView } from './kpayment-options.ts';
import { newRandomId, newUrlToken, sameSecret } from '../../common/secrets.ts';
import { KeyedLock } from '../../common/keyed-lock.ts';
import { StoreConflictError } from '../../store/store.ts';
import { type CardRegistration, type CardRegistrationPatch, type CardStore, RegistrationId } from '../../store/card-store.ts';
import type { KpaymentCards } from './kpayment-cards.ts';
import type { KpaymentClient } from './kpayment-client.ts';
import { KpaymentApiError, outcomeUnknown } from './kpayment-errors.ts';
import { type CardFormSettings, formAttributes, readCardForm } from './kpayment-form.ts';

export interface RegistrationView {
  id: string;
  orderId: string;
  status: CardRegistration['status'];
  failureCode: string | null;
  failureMessage: string | null;
}

/** Register-3D: THB 1.00 (guide L1235). */
const REGISTRATION_AMOUNT = 100;

/**
 * Saving a card before buying (guide §4.6 b, "Register 3D"): a THB 1.00 charge in mode `register3d` that the
 * bank authenticates with 3-D Secure and then voids itself; once an inquiry shows it `Voided` + `success`,
 * the card is saved to the shopper's customer. The shopper comes from `resolveCustomer(orderId)`.
 */
export class KpaymentRegistrations {
  readonly #locks = new KeyedLock();

  constructor(
    private readonly o: {
      client: KpaymentClient;
      cards: KpaymentCards;
      store: CardStore | null;
      settings: CardFormSettings & { scriptUrl: string };
      publicBaseUrl: string;
      resultUrl: ((registration: CardRegistrationView) => string) | null;
      logger: Logger;
      now: () => number;
    },
  ) {}

  /** Starts a registration for the order's signed-in shopper: the card form for THB 1.00. */
  async start(orderId: string): Promise<{ registrationId: string; status: 'pending'; next: Extract<NextAction, { type: 'script_form' }> }> {
    const store = this.#available();
    const shopper = await this.o.cards.shopper(orderId, 'save');
    if (!shopper) throw new CheckoutError('unauthorized', 'Sign in to save a card.');
    const registration = await store.createRegistration({
      id: newRandomId('creg_'),
      gateway: 'kpayment',
      orderId,
      shopperId: shopper.id,
      returnToken: newUrlToken(),
      cardToken: null,
      chargeId: null,
      status: 'pending',
      failureCode: null,
      failureMessage: null,
      customerId: null,
      createdAt: this.#iso(),
    });
    const attributes = formAttributes(this.o.settings, { amount: REGISTRATION_AMOUNT, currency: 'THB', installments: false, customerId: null, register: true });
    const formAction = `${this.o.publicBaseUrl}/checkout/kpayment/registrations/${registration.id}/token?token=${encodeURIComponent(registration.returnToken)}`;
    return { registrationId: registration.id, status: 'pending', next: { type: 'script_form', scriptUrl: this.o.settings.scriptUrl, formAction, attributes } };
  }

  /** The card form's post-back: creates the register-3D charge once (a replay creates nothing) and answers where to go. */
  async submitToken(id: string, token: unknown, form: Record<string, string>): Promise<string> {
    const store = this.#available();
    const registration = await this.#find(id);
    if (typeof token !== 'string' || !sameSecret(token, registration.returnToken)) throw new CheckoutError('invalid_token', 'This card form is not valid.');
    const card = readCardForm(this.o.settings, form, { currency: 'THB', register: true });
    return this.#locks.run(id, async () => {
      const claim = await store
        .updateRegistration(id, (r) => (r.cardToken || r.chargeId || r.status !== 'pending' ? null : { cardToken: card.token }), this.#iso())
        .catch((err: unknown) => {
          // The token was already posted for another registration (a token is single-use): nothing is charged.
          if (err instanceof StoreConflictError && err.code === 'duplicate') throw new CheckoutError('bad_request', 'This card was already used in another card form; enter the card again.');
          throw err;
        });
      if (!claim) {
        const current = (await store.getRegistration(id))!;
        if (current.status !== 'pending' && !current.cardToken) throw new CheckoutError('payment_final', 'This card registration is over.');
        return this.#location(current);
      }
      let charge;
      try {
        charge = await this.o.client.createCharge({
          amount: 1,
          currency: 'THB',
          description: 'Card registration',
          source_type: 'card',
          mode: 'register3d',
          token: card.token,
          reference_order: id,
          savecard: true,
          additional_data: { mid: card.mid },
          callback_type: 'web',
        });
      } catch (err) {
        if (outcomeUnknown(err)) {
          this.o.logger.warn('the register-3D charge got no answer; an inquiry will settle it', { registrationId: id, error: err });
          return this.#location(claim.after);
        }
        const code = err instanceof KpaymentApiError ? err.code : 'gateway_error';
        const after = await this.#update(id, { status: 'failed', failureCode: code, failureMessage: err instanceof Error ? err.message : String(err) });
        return this.#location(after);
      }
      await this.#update(id, { chargeId: charge.id });
      if (kpaymentState(charge.transaction_state) === 'Pre-Authorized' && charge.status === 'success' && charge.redirect_url) return charge.redirect_url;
      return this.#location(await this.#settle(id));
    });
  }

  /** The 3-D Secure callback for a registration's charge: decided by an inquiry. Null when no registration has it. */
  async completeCallback(chargeId: string): Promise<string | null> {
    if (!this.o.store) return null;
    const registration = await this.o.store.findRegistrationByChargeId(chargeId);
    if (!registration) return null;
    const after = await this.#locks.run(registration.id, () => this.#settle(registration.id));
    return this.#location(after);
  }

  /** A notify about a registration's charge (checksum already verified): decided by an inquiry. */
  async handleNotify(chargeId: string): Promise<boolean> {
    if (!this.o.store) return false;
    const registration = await this.o.store.findRegistrationByChargeId(chargeId);
    if (!registration) return false;
    await this.#locks.run(registration.id, () => this.#settle(registration.id));
    return true;
  }

  async view(id: string, locale: Locale = 'en'): Promise<RegistrationView> {
    let registration = await this.#find(id);
    if (registration.status === 'pending' && (registration.chargeId || registration.cardToken)) {
      registration = await this.#locks.run(id, () => this.#settle(id).catch(() => registration));
    }
    return {
      id: registration.id,
      orderId: registration.orderId,
      status: registration.status,
      failureCode: registration.failureCode,
      failureMessage: registration.status === 'failed' ? customerMessage(registration.failureCode, locale) : null,
    };
  }

  /**
   * Asks the gateway and moves the registration on: `Voided` + `success` (the bank voided the verified THB
   * 1.00 itself) or `Authorized` + `success` (then voided here) saves the card; a decline or a failed
   * authentication fails it; anything else leaves it pending. Callers hold the registration's lock.
   */
  async #settle(id: string): Promise<CardRegistration> {
    const registration = (await this.o.store!.getRegistration(id))!;
    if (registration.status !== 'pending') return registration;
    let charge;
    try {
      charge = await this.o.client.retrieveCharge(registration.chargeId ?? registration.id);
    } catch (err) {
      if (!registration.chargeId && err instanceof KpaymentApiError && err.code === 'charge_id_not_exist') return registration;
      throw err;
    }
    if (!registration.chargeId) await this.#update(id, { chargeId: charge.id });
    if (charge.id !== (registration.chargeId ?? charge.id) || decimalToMinor(charge.amount, 'THB') !== REGISTRATION_AMOUNT) {
      throw new CheckoutError('gateway_error', `Charge ${charge.id} is not registration ${id}'s THB 1.00 check.`);
    }
    const state = kpaymentState(charge.transaction_state);
    if ((state === 'Voided' || state === 'Authorized') && charge.status === 'success') {
      if (state === 'Authorized') {
        await this.o.client.voidCharge(charge.id, { reason: 'card registration (register-3D)' }).catch((err: unknown) => {
          this.o.logger.warn('could not void a register-3D check', { registrationId: id, chargeId: charge.id, error: err });
        });
      }
      const shopper = await this.o.cards.shopper(registration.orderId, 'save');
      if (!shopper || shopper.id !== registration.shopperId) {
        return this.#update(id, { status: 'failed', failureCode: 'shopper_changed', failureMessage: 'the signed-in shopper changed' });
      }
      const saved = await this.o.cards.save(shopper, registration.cardToken ?? '');
      return this.#update(id, { status: 'saved', customerId: saved.customerId });
    }
    if (charge.status === 'fail' || state === 'Declined' || state === 'Reversed') {
      return this.#update(id, { status: 'failed', failureCode: charge.failure_code || 'declined', failureMessage: charge.failure_message ?? null });
    }
    return registration;
  }

  #location(registration: CardRegistration): string {
    return this.o.resultUrl!({ id: registration.id, orderId: registration.orderId, status: registration.status });
  }

  async #update(id: string, patch: CardRegistrationPatch): Promise<CardRegistration> {
    const update = await this.o.store!.updateRegistration(id, () => patch, this.#iso());
    return update!.after;
  }

  async #find(id: string): Promise<CardRegistration> {
    const store = this.#available();
    const registration = RegistrationId.safeParse(id).success ? await store.getRegistration(id) : null;
    if (!registration) throw new CheckoutError('not_found', 'No such card registration.');
    return registration;
  }

  #available(): CardStore {
    if (!this.o.store || !this.o.cards.enabled || !this.o.resultUrl) {
      throw new CheckoutError('method_unavailable', 'Saving a card needs resolveCustomer, kpayment.registrationResultUrl and a store that keeps customers.');
    }
    return this.o.store;
  }

  #iso(): string {
    return new Date(this.o.now()).toISOString();
  }
}
