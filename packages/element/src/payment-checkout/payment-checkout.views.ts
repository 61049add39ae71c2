import type { CheckoutConfig, MethodOffer, PaymentView } from '@payment-checkout/core/api';
import type { MethodGroup, PaymentMethodId } from '@payment-checkout/core/catalog';
import { isLive, isPaid } from '@payment-checkout/core/status';
import { html, nothing, type TemplateResult } from 'lit';
import type { ResultView } from '../controllers/payment-result.ts';
import type { QrDrawing } from '../qr/qr-session.ts';
import { isRetryable, type Problem, problemMessage } from '../controllers/problems.ts';
import { type BootTexts, bootTexts, type CheckoutTexts, fillText, formatAmount, type Locale } from '../texts.ts';

/** The templates of <payment-checkout>'s views: plain functions of what they show, no state of their own. */

/**
 * What the element is busy with: loading the config, starting a payment, leaving for the gateway, waiting for the
 * shopper in the gateway's card form, leaving with the card's token, or showing a QR code.
 */
export type Busy = 'config' | 'pay' | 'redirect' | 'card-form' | 'card-submit' | 'qr';

/** A method's name in the shopper's language, from the companion's texts. */
export const methodLabel = (id: PaymentMethodId | null, t: CheckoutTexts): string => (id && t.methods[id]) || (id ?? '');

export const busyLine = (text: string): TemplateResult =>
  html`<p class="busy"><span part="spinner" class="spinner" aria-hidden="true"></span>${text}</p>`;

export const amountLine = (config: CheckoutConfig, t: CheckoutTexts, locale: Locale): TemplateResult =>
  html`<p part="amount" class="amount">
    <span class="amount-label">${t.amountToPay}</span>
    <strong part="amount-value" class="amount-value">${formatAmount(config.amount, config.currency, locale)}</strong>
  </p>`;

export interface MethodsView {
  offers: readonly MethodOffer[];
  /** The choices are disabled while the element is busy. */
  disabled: boolean;
  /** Whether a choice is the selected one. */
  selected(offer: MethodOffer, installments: boolean): boolean;
  /** Selects a choice; false when the element refuses (busy), and the radio button stays as it was. */
  select(offer: MethodOffer, installments: boolean): boolean;
}

/** A method's badge: our own small picture of its brand's colour and initials (the companion's `badge`). */
const badge = ({ color, ink, text }: MethodOffer['badge']): TemplateResult =>
  html`<svg part="badge" class="badge" viewBox="0 0 40 26" aria-hidden="true"><rect width="40" height="26" rx="5" fill=${color}></rect><text x="20" y="17.5" fill=${ink} text-anchor="middle">${text}</text></svg>`;

/**
 * The choices, grouped (in the order of the companion's `groups` texts), in one radio group whatever the gateway: a
 * choice selects, the pay action pays. An offer that may be paid in instalments has a second choice; what it says is
 * its gateway's (e.g. "KBank credit card in instalments"), else "{method} in instalments".
 */
export function methodsView(view: MethodsView, t: CheckoutTexts): TemplateResult {
  const choice = (offer: MethodOffer, installments: boolean) => {
    const label = methodLabel(offer.id, t);
    const selected = view.selected(offer, installments);
    return html`<label part="method" class="method ${selected ? 'selected' : ''}">
      <input
        type="radio"
        name="method"
        data-method=${offer.id}
        data-installments=${installments ? 'true' : nothing}
        .checked=${selected}
        ?disabled=${view.disabled}
        @click=${(event: Event) => view.select(offer, installments) || event.preventDefault()}
      />${badge(offer.badge)}${installments ? (t.installments[offer.id] ?? fillText(t.inInstalments, { method: label })) : label}
    </label>`;
  };
  return html`
    <p part="prompt" class="prompt">${t.chooseMethod}</p>
    <div part="methods" class="methods" aria-busy=${view.disabled}>
      ${(Object.keys(t.groups) as MethodGroup[]).map((group) => {
        const inGroup = view.offers.filter((offer) => offer.group === group);
        if (inGroup.length === 0) return nothing;
        return html`
          <fieldset part="group" data-group=${group}>
            <legend part="group-label">${t.groups[group]}</legend>
            ${inGroup.map((offer) => html`${choice(offer, false)}${offer.installments ? choice(offer, true) : nothing}`)}
          </fieldset>
        `;
      })}
    </div>
  `;
}

/** While the gateway's card form is open; with a note when it offers instalment terms. */
export const cardFormStatus = (installments: boolean, t: CheckoutTexts): TemplateResult =>
  html`<p part="message">${t.completeInCardForm}</p>
    ${installments ? html`<p part="note" class="note">${t.chooseInstalmentTerm}</p>` : nothing}`;

/** What was paid (the companion's `summary`: amount and currency charged, instalments) and the payment's reference. */
const detailsView = (payment: PaymentView, t: CheckoutTexts, locale: Locale): TemplateResult =>
  html`<p part="summary" class="summary">
      ${payment.summary ?? fillText(t.paymentOf, { amount: formatAmount(payment.amount, payment.currency, locale), method: methodLabel(payment.method, t) })}
    </p>
    <p part="reference" class="note reference">${fillText(t.reference, { id: payment.id })}</p>`;

/**
 * A payment's result: an icon and a headline (focusable, for the focus to land on when the result replaces what the
 * shopper was using) and what happened (what was paid is drawn under it, out of the live region: `detailsView`). A
 * failure's text is the companion's `failureMessage`, in the shopper's language.
 */
export function resultView(payment: PaymentView, pollExhausted: boolean, t: CheckoutTexts): TemplateResult {
  // What happened, under the headline; a failure's code (`failureCode`) in `data-code`.
  const headline = (kind: string, text: string, message?: string | null, code?: string | null) =>
    html`<div class="result result-${kind}" data-status=${payment.status}>
      <h2 part="headline" class="headline" tabindex="-1">${text}</h2>
      ${message == null ? nothing : html`<p part="message" data-code=${code ?? nothing}>${message}</p>`}
    </div>`;
  const status = payment.status;
  // The order was paid by another payment, or changed: the companion says why, and what happens to the money.
  const { notice } = payment;
  if (notice) return headline('notice', notice.headline, notice.message);
  // Authorised, for the shop to capture (KakaoPay with manual capture): nothing is left for the shopper to do.
  if (status === 'authorized') return headline('paid', t.authorized, t.authorizedDetail);
  if (isLive(status)) {
    return html`<div class="result result-waiting" data-status=${status}>
      ${pollExhausted ? html`<p part="message">${t.stillWaiting}</p>` : busyLine(t.waiting)}
    </div>`;
  }
  if (status === 'succeeded') return headline('paid', t.paid);
  // Paid, then refunded in part or in full, or voided: each says which (its text is keyed by the status).
  if (isPaid(status)) return headline('refunded', t[status as 'refunded' | 'partially_refunded' | 'voided']);
  if (status === 'failed') return headline('failed', t.failed, payment.failureMessage, payment.failureCode);
  if (status === 'expired') return headline('expired', t.expired, t.expiredDetail);
  return headline('canceled', t.canceled, t.canceledDetail);
}

/** An error in the shopper's words; its code for scripts and support in `data-code` (the `checkout-error` event has it too). */
export const problemView = (problem: Problem, t: BootTexts & Partial<CheckoutTexts>, locale: Locale): TemplateResult =>
  html`<p part="message" class="error" data-code=${problem.code}>${problemMessage(problem, t, locale)}</p>`;

/** An action under the status: `retry`, `check-again` or `choose-again`. */
export const actionButton = (part: string, text: string, onClick: () => void): TemplateResult =>
  html`<button type="button" part=${part} class="action ${part}" @click=${onClick}>${text}</button>`;

/** Everything <payment-checkout> shows, as its render() reads it from its state and controllers. */
export interface CheckoutView {
  locale: Locale;
  /** The companion's texts in `locale`; null until they arrive (the element then says only its own few words). */
  t: CheckoutTexts | null;
  config: CheckoutConfig | null;
  /** The config's methods the element can start. */
  offers: readonly MethodOffer[];
  busy: Busy | null;
  /** The method chosen last. */
  method: PaymentMethodId | null;
  /** The open card form offers instalment terms. */
  instalments: boolean;
  /** The QR code on screen, if any. */
  qr: QrDrawing | null;
  /** The shopper is on a phone (read only for the hints: the QR view's, a bank app's on a desktop). */
  onPhone: boolean;
  problem: Problem | null;
  /** Result mode: the payment shown (null until read), and whether its first read is under way. */
  result: ResultView | null;
  mayChooseAgain: boolean;
  /** The page's link back to the shop (`shop-url`), offered once a result is final. */
  shopUrl: string | undefined;
  choices: Omit<MethodsView, 'offers' | 'disabled'>;
  /** The selected choice's offer, if any: the pay action pays it. */
  selected: MethodOffer | undefined;
  pay(): void;
  /** "Try again" after an error, and "Check again" when the polls stopped (the payment is read again). */
  retry(): void;
  chooseAgain(): void;
}

/** The view once the companion's texts are in. */
type WithTexts = CheckoutView & { t: CheckoutTexts };

/** The live region's content: what the element is doing, the error, or the result. */
function statusView(v: WithTexts): Part {
  const { t } = v;
  const method = { method: methodLabel(v.method, t) };
  const flow = v.offers.find((offer) => offer.id === v.method)?.flow;
  switch (v.busy) {
    case 'config':
      return busyLine(t.loading);
    case 'pay':
      return busyLine(flow === 'embedded_form' ? t.openingCardForm : flow === 'embedded_qr' ? t.openingQr : fillText(t.connecting, method));
    case 'card-form':
      return cardFormStatus(v.instalments, t);
    case 'card-submit':
      return busyLine(t.processingCard);
    case 'qr':
      return v.qr ? v.qr.status(t) : nothing;
    case 'redirect':
      return busyLine(fillText(t.redirecting, method));
    case null:
      break;
  }
  if (v.result?.loading) return busyLine(t.checkingPayment);
  if (v.problem) return problemView(v.problem, t, v.locale);
  if (v.result) return v.result.payment ? resultView(v.result.payment, v.result.exhausted, t) : nothing;
  if (v.config && v.offers.length === 0) return html`<p part="message">${t.noMethods}</p>`;
  return nothing;
}

/** The actions under the status, if any: "Try again", "Check again", or "Choose another payment method" and "Back to the shop". */
function actionView(v: WithTexts): Part {
  const payment = v.result?.payment;
  if (v.busy !== null || v.result?.loading) return nothing;
  if (v.problem) return isRetryable(v.problem) ? actionButton('retry', v.t.retry, v.retry) : nothing;
  if (v.result?.exhausted) return actionButton('check-again', v.t.checkAgain, v.retry);
  return html`${v.mayChooseAgain ? actionButton('choose-again', v.t.chooseAgain, v.chooseAgain) : nothing}
  ${v.shopUrl && payment && !isLive(payment.status) ? html`<a part="back" class="action back" href=${v.shopUrl}>${v.t.backToShop}</a>` : nothing}`;
}

/** The whole element. */
export function checkoutView(view: CheckoutView): TemplateResult {
  const { t } = view;
  if (!t) return bootView(view);
  const v: WithTexts = { ...view, t };
  const { locale, config, selected } = v;
  const choices =
    v.result || !config || v.offers.length === 0
      ? nothing
      : html`${amountLine(config, t, locale)} ${config.notice ? html`<p part="notice" class="note notice">${config.notice}</p>` : nothing}
        ${v.qr
          ? v.qr.draw(v.onPhone, t)
          : html`${methodsView({ ...v.choices, offers: v.offers, disabled: v.busy !== null }, t)}
              ${selected?.flow === 'app_redirect' && !selected.desktopPlatform && !v.onPhone
                ? html`<p part="hint" class="note">${fillText(t.continueOnPhone, { method: methodLabel(selected.id, t) })}</p>`
                : nothing}
              <button type="button" part="pay" class="action pay" ?disabled=${!selected} aria-disabled=${!!v.busy} @click=${v.pay}>
                ${fillText(t.pay, { amount: formatAmount(config.amount, config.currency, locale) })}
              </button>`}`;
  const payment = v.result?.payment;
  return frame(locale, choices, statusView(v), payment ? detailsView(payment, t, locale) : nothing, actionView(v));
}

type Part = TemplateResult | typeof nothing;

/**
 * The element's frame, the same in every view: the live region stays in place so that each change is announced;
 * under it what the shopper may read at leisure (what was paid), then the actions.
 */
const frame = (locale: Locale, top: Part, status: Part, details: Part, action: Part): TemplateResult =>
  html`<div part="base" class="base" lang=${locale} dir="ltr">
    ${top}
    <div part="status" role="status" aria-live="polite">${status}</div>
    ${details} ${action}
    <slot name="card-form"></slot>
  </div>`;

/** Before the companion's texts arrive: busy, or the error that kept them away, in the element's own few words. */
function bootView(v: CheckoutView): TemplateResult {
  const { problem } = v;
  const t = bootTexts(v.locale);
  const status = problem ? problemView(problem, t, v.locale) : v.busy === 'config' || v.result ? busyLine(t.loading) : nothing;
  return frame(v.locale, nothing, status, nothing, problem && isRetryable(problem) ? actionButton('retry', t.retry, v.retry) : nothing);
}
