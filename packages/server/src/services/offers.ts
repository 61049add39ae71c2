import { CATALOG, CheckoutConfig, CheckoutError, type CheckoutTexts, type Locale, type MethodOffer, type PaymentMethod, amountProblem, checkoutTexts, isLive, methodsForOrder, stillOpenNotice } from '@payment-checkout/core';
import type { PaymentRecord } from '../store/store.ts';
import type { OrderAmount } from '../common/host.ts';
import { type ServiceContext, paidTheOrder } from './context.ts';
import { toView } from './payment-view.ts';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Which methods an order can be paid with here, and what the browser needs to start them. */
export class Offers {
  readonly #httpsReturn: boolean;
  readonly #texts = new Map<Locale, CheckoutTexts>();

  constructor(private readonly ctx: ServiceContext) {
    const base = new URL(ctx.o.publicBaseUrl);
    this.#httpsReturn = base.protocol === 'https:' || LOOPBACK_HOSTS.has(base.hostname);
  }

  /** The methods this order can be paid with, each offering gateway's browser block, and the texts in `locale`. */
  async config(orderId: string, locale: Locale = 'en'): Promise<CheckoutConfig> {
    const order = await this.ctx.resolveOrder(orderId);
    // A paid order offers nothing: the page shows its receipt at once (a shopper back at the checkout after paying).
    const payments = await this.ctx.store.listPaymentsForOrder(orderId);
    const paid = payments.find(paidTheOrder);
    const texts = this.texts(locale);
    if (paid) {
      return CheckoutConfig.parse({ orderId, ...order, methods: [], gateways: {}, sandbox: this.ctx.o.sandbox ?? false, texts, paid: toView(paid, texts, locale) });
    }
    const methods = methodsForOrder(order.amount, order.currency, this.#enabled(), this.ctx.catalog).filter((m) => this.#usable(m) === null);
    const gateways: Record<string, Record<string, unknown>> = {};
    for (const id of new Set(methods.map((m) => m.gateway))) {
      const block = await this.ctx.gateway(id).browserConfig?.({ orderId, ...order });
      if (block) gateways[id] = { ...block };
    }
    return CheckoutConfig.parse({
      orderId,
      amount: order.amount,
      currency: order.currency,
      methods: methods.map((m) => this.#offer(m, order)),
      gateways,
      sandbox: this.ctx.o.sandbox ?? false,
      texts,
      notice: this.#stillOpen(payments, texts, locale),
    });
  }

  /**
   * A payment of the order still open at its gateway that nobody can cancel (a bank app's charge, a QR code, a
   * wallet's page): paying another way too would pay twice, so the shopper is told before choosing. A card form's
   * payment needs the shopper to go on, and one the gateway can end early is ended when the shopper switches.
   */
  #stillOpen(payments: readonly PaymentRecord[], texts: CheckoutTexts, locale: Locale): string | undefined {
    const open = payments.find((p) => {
      const method = isLive(p.status) ? this.ctx.method(p.method) : null;
      return method !== null && !method.canExpireEarly && method.flow !== 'embedded_form';
    });
    return open && stillOpenNotice(texts.methods[open.method] ?? open.method, locale);
  }

  /** What the element shows a shopper in `locale`, with the names of this companion's methods. */
  texts(locale: Locale): CheckoutTexts {
    // Made once per locale: every config and every status poll (its summary) words with them.
    let texts = this.#texts.get(locale);
    if (!texts) this.#texts.set(locale, (texts = checkoutTexts(locale, this.ctx.catalog)));
    return texts;
  }

  /** The method a shopper asked for, if this order can be paid with it here; the refusal otherwise. */
  check(methodId: string, order: OrderAmount): PaymentMethod {
    const method = this.ctx.method(methodId);
    if (!method) {
      const label = CATALOG.find((m) => m.id === methodId)?.label.en ?? methodId;
      const enabled = this.#enabled();
      throw new CheckoutError('method_unavailable', enabled && !enabled.includes(methodId as PaymentMethod['id']) ? `${label} is not offered.` : `${label} is not configured.`);
    }
    const unusable = this.#usable(method);
    if (unusable) throw unusable;
    if (!method.limits[order.currency]) throw new CheckoutError('method_unavailable', `${method.label.en} does not accept ${order.currency}.`);
    const problem = amountProblem(method, order.amount, order.currency);
    if (problem) throw new CheckoutError('amount_out_of_limits', `${method.label.en} cannot take this amount: ${problem}.`);
    return method;
  }

  /** Whether this order may be paid with this method in instalments. */
  installments(method: PaymentMethod, order: OrderAmount): boolean {
    return method.group === 'card' && this.ctx.gateway(method.gateway).offersInstallments?.(order) === true;
  }

  #offer(m: PaymentMethod, order: OrderAmount): MethodOffer {
    const offer: MethodOffer = { id: m.id, gateway: m.gateway, group: m.group, flow: m.flow, label: m.label, badge: m.badge, platforms: m.platforms, desktopPlatform: m.desktopPlatform };
    return this.installments(m, order) ? { ...offer, installments: true } : offer;
  }

  #enabled(): PaymentMethod['id'][] | undefined {
    return this.ctx.o.methods as PaymentMethod['id'][] | undefined;
  }

  /** Why a method cannot be used at all here (disabled, return URL not https). */
  #usable(method: PaymentMethod): CheckoutError | null {
    const enabled = this.#enabled();
    if (enabled && !enabled.includes(method.id)) return new CheckoutError('method_unavailable', `${method.label.en} is not offered.`);
    if (method.requiresHttpsReturn && !this.#httpsReturn) {
      return new CheckoutError('method_unavailable', `${method.label.en} needs the companion on https (publicBaseUrl).`);
    }
    return null;
  }
}
