import { z } from 'zod';
import { Gateway, OrderId } from '@payment-checkout/core';

/** The merchant's signed-in shopper and the gateway customer that holds the shopper's saved cards. */
export const ShopperCustomer = z.object({
  gateway: Gateway,
  shopperId: z.string().min(1).max(128),
  customerId: z.string().min(1).max(256),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type ShopperCustomer = z.infer<typeof ShopperCustomer>;

export const RegistrationId = z.string().regex(/^creg_[0-9a-f]{32}$/, 'a card registration id (creg_…)');
export const RegistrationStatus = z.enum(['pending', 'saved', 'failed']);
export type RegistrationStatus = z.infer<typeof RegistrationStatus>;

/** Saving a card before buying (K-Payment register-3D: a THB 1.00 check the gateway voids itself). */
export const CardRegistration = z.object({
  id: RegistrationId,
  gateway: Gateway,
  /** The order whose page started it (the shopper comes from `resolveCustomer(orderId)`). */
  orderId: OrderId,
  shopperId: z.string().min(1).max(128),
  returnToken: z.string().min(32),
  /** The card form's token, once posted. */
  cardToken: z.string().nullable(),
  chargeId: z.string().nullable(),
  status: RegistrationStatus,
  failureCode: z.string().nullable(),
  failureMessage: z.string().nullable(),
  /** The gateway customer the card was saved to. */
  customerId: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type CardRegistration = z.infer<typeof CardRegistration>;
export type NewCardRegistration = Omit<CardRegistration, 'updatedAt'>;
export type CardRegistrationPatch = Partial<Pick<CardRegistration, 'cardToken' | 'chargeId' | 'status' | 'failureCode' | 'failureMessage' | 'customerId'>>;

/**
 * Remembered cards: the shopper → gateway customer mapping, and card registrations. A store that implements
 * it next to PaymentStore (SqliteStore and PostgresStore do) lets the companion remember cards.
 */
export interface CardStore {
  getShopperCustomer(gateway: ShopperCustomer['gateway'], shopperId: string): Promise<ShopperCustomer | null>;
  /** Inserts or replaces the shopper's customer. */
  saveShopperCustomer(mapping: Pick<ShopperCustomer, 'gateway' | 'shopperId' | 'customerId'>, at: string): Promise<ShopperCustomer>;
  /**
   * Takes the right to create the shopper's customer, so that two cards saved at once (two tabs, two processes)
   * end on one customer: true when the shopper has no customer, only `claim.replacing` (one the gateway no longer
   * knows), or a claim made before `claim.staleBefore` (its holder died); the shopper then shows no customer until
   * `saveShopperCustomer` ends the claim or `releaseShopperCustomer` gives it up. False: another holds the right,
   * or the customer exists (its cards are added to it).
   */
  claimShopperCustomer(gateway: ShopperCustomer['gateway'], shopperId: string, at: string, claim: { staleBefore: string; replacing?: string }): Promise<boolean>;
  /** Gives up a claim (`claimShopperCustomer`) whose customer could not be created; a saved customer stays. */
  releaseShopperCustomer(gateway: ShopperCustomer['gateway'], shopperId: string): Promise<void>;
  createRegistration(registration: NewCardRegistration): Promise<CardRegistration>;
  getRegistration(id: string): Promise<CardRegistration | null>;
  findRegistrationByChargeId(chargeId: string): Promise<CardRegistration | null>;
  /** Reads, asks `decide`, writes its patch, in one transaction; nothing is written when it answers null. */
  updateRegistration(
    id: string,
    decide: (current: CardRegistration) => CardRegistrationPatch | null,
    at: string,
  ): Promise<{ before: CardRegistration; after: CardRegistration } | null>;
}

export function isCardStore(value: unknown): value is CardStore {
  const methods: (keyof CardStore)[] = ['getShopperCustomer', 'saveShopperCustomer', 'claimShopperCustomer', 'releaseShopperCustomer', 'createRegistration', 'getRegistration', 'findRegistrationByChargeId', 'updateRegistration'];
  return typeof value === 'object' && value !== null && methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function');
}
