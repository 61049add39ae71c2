import { css, html, LitElement, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';

/**
 * The start benchmark's baseline: the least a Lit element can do to draw <payment-checkout>'s method buttons. It
 * reads the same `GET {endpoint}/checkout/config` and draws the same buttons (same labels, same groups in the same
 * order, the instalments choice beside the card, `data-method` on each radio button, one pay button) and no more: no schema check, no
 * controllers, no gateway code, English only. The texts are copied from packages/element/src/i18n.ts (en) and
 * gateways/kpayment/texts.ts, not imported, so that none of the element's code is in this bundle.
 */

interface Offer {
  id: string;
  gateway: string;
  group: string;
  label: { en: string };
  installments?: boolean;
  badge: { color: string; ink: string; text: string };
}

interface Config {
  amount: number;
  currency: string;
  methods: Offer[];
}

const GROUPS: readonly [group: string, legend: string][] = [
  ['mobile_banking', 'Mobile banking'],
  ['wallet', 'Wallets'],
  ['card', 'Cards'],
  ['qr', 'QR payment'],
];

/** What the element's card-instalments button says when the card's gateway names it (the K-Payment one does). */
const INSTALMENTS_LABELS: Readonly<Record<string, string>> = { kpayment: 'KBank credit card in instalments' };

/** The method's badge, drawn as the element draws it (an SVG of the companion's colours and initials). */
const badge = ({ color, ink, text }: Offer['badge']): TemplateResult =>
  html`<svg viewBox="0 0 40 26" width="40" height="26" aria-hidden="true"><rect width="40" height="26" rx="5" fill=${color}></rect><text x="20" y="17.5" fill=${ink} text-anchor="middle">${text}</text></svg>`;

export class BareCheckout extends LitElement {
  static override styles = css`
    :host {
      display: block;
      font-family: system-ui, sans-serif;
    }
    fieldset {
      display: grid;
      gap: 0.5rem;
      border: 0;
      padding: 0;
    }
    label,
    button {
      display: block;
      padding: 0.75rem 1rem;
      border: 1px solid #c4c7c5;
      border-radius: 8px;
      background: #fff;
      text-align: start;
      font: inherit;
    }
  `;

  static override properties: PropertyDeclarations = {
    endpoint: { type: String },
    orderId: { type: String, attribute: 'order-id' },
    config: { state: true, attribute: false },
  };

  declare endpoint: string;
  declare orderId: string | undefined;
  private declare config: Config | null;
  #loadedFor: string | undefined;

  constructor() {
    super();
    this.endpoint = '';
    this.config = null;
  }

  protected override willUpdate(): void {
    if (this.orderId && this.orderId !== this.#loadedFor) {
      this.#loadedFor = this.orderId;
      void this.#load(this.orderId);
    }
  }

  async #load(orderId: string): Promise<void> {
    const response = await fetch(`${this.endpoint}/checkout/config?${new URLSearchParams({ orderId })}`, { headers: { accept: 'application/json' } });
    if (response.ok) this.config = (await response.json()) as Config;
  }

  /** One choice as the element draws it since issue 11: a radio button in its label; the pay action pays. */
  #choice(offer: Offer, installments: boolean): TemplateResult {
    const text = installments ? (INSTALMENTS_LABELS[offer.gateway] ?? `${offer.label.en} in instalments`) : offer.label.en;
    return html`<label part="method"><input type="radio" name="method" data-method=${offer.id} data-installments=${installments ? 'true' : nothing} @click=${() => this.#select(offer, installments)} />${badge(offer.badge)}${text}</label>`;
  }

  #select(offer: Offer, installments: boolean): void {
    this.dispatchEvent(new CustomEvent('bare-checkout-select', { detail: { method: offer.id, installments }, bubbles: true, composed: true }));
  }

  override render(): TemplateResult {
    const config = this.config;
    if (!config) return html`<p role="status">Loading payment methods…</p>`;
    const amount = new Intl.NumberFormat('en', { style: 'currency', currency: config.currency }).format(config.amount / 100);
    return html`<p>Amount to pay <strong>${amount}</strong></p>
      <p>Choose how to pay</p>
      ${GROUPS.map(([group, legend]) => {
        const offers = config.methods.filter((offer) => offer.group === group);
        if (offers.length === 0) return nothing;
        return html`<fieldset data-group=${group}>
          <legend>${legend}</legend>
          ${offers.map((offer) => html`${this.#choice(offer, false)}${offer.installments ? this.#choice(offer, true) : nothing}`)}
        </fieldset>`;
      })}
      <button type="button" part="pay">Pay ${amount}</button>`;
  }
}

if (!customElements.get('bare-checkout')) customElements.define('bare-checkout', BareCheckout);

declare global {
  interface HTMLElementTagNameMap {
    'bare-checkout': BareCheckout;
  }
}
