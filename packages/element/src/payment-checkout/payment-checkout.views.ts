import type { CheckoutConfig, MethodOffer, PaymentView } from '@payment-checkout/core/api';
import type { MethodGroup, PaymentMethodId } from '@payment-checkout/core/catalog';
import { isLive, isPaid } from '@payment-checkout/core/status';
import { html, nothing, type TemplateResult } from 'lit';
import { countdownMilestone, formatCountdown } from '../clock.ts';
import type { ResultView } from '../controllers/payment-result.ts';
import type { QrView } from '../controllers/qr-session.ts';
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
  /** Whether a button is the one being paid with. */
  selected(offer: MethodOffer, installments: boolean): boolean;
  pay(offer: MethodOffer, installments: boolean): void;
}

/**
 * The choices, grouped (in the order of the companion's `groups` texts), in one list whatever the gateway. An offer that may be paid in instalments has a second
 * button; what it says is its gateway's (e.g. "KBank credit card in instalments"), else "{method} in instalments".
 */
export function methodsView(view: MethodsView, t: CheckoutTexts): TemplateResult {
  const button = (offer: MethodOffer, installments: boolean) => {
    const label = methodLabel(offer.id, t);
    const text = installments ? (t.installments[offer.id] ?? fillText(t.inInstalments, { method: label })) : label;
    return html`<button
      type="button"
      part="method"
      class="method ${view.disabled && view.selected(offer, installments) ? 'selected' : ''}"
      data-method=${offer.id}
      data-installments=${installments ? 'true' : nothing}
      ?disabled=${view.disabled}
      @click=${() => view.pay(offer, installments)}
    >
      ${text}
    </button>`;
  };
  return html`
    <p part="prompt" class="prompt">${t.chooseMethod}</p>
    <div part="methods" class="methods" aria-busy=${view.disabled ? 'true' : 'false'}>
      ${(Object.keys(t.groups) as MethodGroup[]).map((group) => {
        const inGroup = view.offers.filter((offer) => offer.group === group);
        if (inGroup.length === 0) return nothing;
        return html`
          <fieldset part="group" class="group" data-group=${group}>
            <legend part="group-label">${t.groups[group]}</legend>
            ${inGroup.map((offer) => html`${button(offer, false)}${offer.installments ? button(offer, true) : nothing}`)}
          </fieldset>
        `;
      })}
    </div>
  `;
}

/**
 * The QR view: the code itself is in the script's window; here are the method, the countdown (a timer, silent:
 * the live region announces only milestones) and, on a phone, how to pay with the code on the phone itself.
 * The script draws its QR code in its own (cross-origin) window, so the element cannot offer the image for
 * download: the hint points at the window's own save option or a screenshot.
 */
export function qrView(qr: QrView, onPhone: boolean, t: CheckoutTexts): TemplateResult {
  const wechat = qr.method === 'wechat_pay';
  return html`<div part="qr" class="qr" data-method=${qr.method}>
    <p part="qr-title" class="qr-title">${fillText(t.qrTitle, { method: methodLabel(qr.method, t) })}</p>
    ${qr.secondsLeft === null
      ? nothing
      : html`<p part="countdown" class="countdown ${qr.expired ? 'expired' : ''}" role="timer">
          ${qr.expired ? t.qrExpiredShort : fillText(t.expiresIn, { clock: formatCountdown(qr.secondsLeft) })}
        </p>`}
    ${onPhone && !qr.expired && !qr.submitted
      ? html`<p part="hint" class="note hint">${wechat ? t.phoneHintWechat : t.phoneHintThaiQr}</p>`
      : nothing}
  </div>`;
}

/** What the live region says while a QR code is shown: what to do, and the time left at a few milestones. */
export function qrStatus(qr: QrView, t: CheckoutTexts): TemplateResult {
  if (qr.submitted) return busyLine(t.checkingPayment);
  if (qr.expired) {
    return html`<p part="message" class="message error">${t.qrExpired}</p>
      <p part="message" class="message">${t.qrExpiredDetail}</p>`;
  }
  const milestone = qr.secondsLeft === null ? null : countdownMilestone(qr.secondsLeft);
  return html`<p part="message" class="message">${qr.method === 'wechat_pay' ? t.scanWechat : t.scanThaiQr}</p>
    ${milestone
      ? html`<p part="note" class="note">
          ${milestone.unit === 'seconds'
            ? fillText(t.expiresInSeconds, { n: milestone.value })
            : milestone.value === 1
              ? t.expiresInMinute
              : fillText(t.expiresInMinutes, { n: milestone.value })}
        </p>`
      : nothing}`;
}

/** While the gateway's card form is open; with a note when it offers instalment terms. */
export const cardFormStatus = (installments: boolean, t: CheckoutTexts): TemplateResult =>
  html`<p part="message" class="message">${t.completeInCardForm}</p>
    ${installments ? html`<p part="note" class="note">${t.chooseInstalmentTerm}</p>` : nothing}`;

export const summaryView = (payment: PaymentView, t: CheckoutTexts, locale: Locale): TemplateResult =>
  html`<p part="summary" class="summary">
    ${payment.summary ?? fillText(t.paymentOf, { amount: formatAmount(payment.amount, payment.currency, locale), method: methodLabel(payment.method, t) })}
  </p>`;

/** A payment's result; a failure's text is the companion's `failureMessage`, in the shopper's language. */
export function resultView(payment: PaymentView, pollExhausted: boolean, t: CheckoutTexts): TemplateResult {
  const headline = (kind: string, text: string, message?: TemplateResult) =>
    html`<div class="result result-${kind}" data-status=${payment.status}>
      <p part="headline" class="headline">${text}</p>
      ${message ?? nothing}
    </div>`;
  const status = payment.status;
  // The order was paid by another payment, or changed: the companion says why, and what happens to the money.
  const { notice } = payment;
  if (notice) return headline('notice', notice.headline, html`<p part="message" class="message">${notice.message}</p>`);
  // Authorised, for the shop to capture (KakaoPay with manual capture): nothing is left for the shopper to do.
  if (status === 'authorized') return headline('paid', t.authorized, html`<p part="message" class="message">${t.authorizedDetail}</p>`);
  if (isLive(status)) {
    return html`<div class="result result-waiting" data-status=${status}>
      ${pollExhausted ? html`<p part="message" class="message">${t.stillWaiting}</p>` : busyLine(t.waiting)}
    </div>`;
  }
  if (status === 'succeeded') return headline('paid', t.paid);
  // Paid, then refunded in part or in full, or voided.
  if (isPaid(status)) return headline('refunded', t.refunded);
  if (status === 'failed') {
    return headline(
      'failed',
      t.failed,
      payment.failureMessage === null
        ? undefined
        : html`<p part="message" class="message" data-code=${payment.failureCode ?? nothing}>${payment.failureMessage}</p>`,
    );
  }
  if (status === 'expired') return headline('expired', t.expired, html`<p part="message" class="message">${t.expiredDetail}</p>`);
  return headline('canceled', t.canceled, html`<p part="message" class="message">${t.canceledDetail}</p>`);
}

/** An error in the shopper's words; its code for scripts and support in `data-code` (the `checkout-error` event has it too). */
export const problemView = (problem: Problem, t: BootTexts & Partial<CheckoutTexts>, locale: Locale): TemplateResult =>
  html`<p part="message" class="message error" data-code=${problem.code}>${problemMessage(problem, t, locale)}</p>`;

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
  qr: QrView | null;
  onPhone: boolean;
  problem: Problem | null;
  /** Result mode: the payment shown (null until read), and whether its first read is under way. */
  result: ResultView | null;
  mayChooseAgain: boolean;
  choices: Omit<MethodsView, 'offers' | 'disabled'>;
  retry(): void;
  checkAgain(): void;
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
      return v.qr ? qrStatus(v.qr, t) : nothing;
    case 'redirect':
      return busyLine(fillText(t.redirecting, method));
    case null:
      break;
  }
  if (v.result?.loading) return busyLine(t.checkingPayment);
  if (v.problem) return problemView(v.problem, t, v.locale);
  if (v.result) return v.result.payment ? resultView(v.result.payment, v.result.exhausted, t) : nothing;
  if (v.config && v.offers.length === 0) return html`<p part="message" class="message">${t.noMethods}</p>`;
  return nothing;
}

/** The action under the status, if any: "Try again", "Check again" or "Choose another payment method". */
function actionView(v: WithTexts): Part {
  if (v.busy !== null || v.result?.loading) return nothing;
  if (v.problem) return isRetryable(v.problem) ? actionButton('retry', v.t.retry, v.retry) : nothing;
  if (v.result?.exhausted) return actionButton('check-again', v.t.checkAgain, v.checkAgain);
  if (v.mayChooseAgain) return actionButton('choose-again', v.t.chooseAgain, v.chooseAgain);
  return nothing;
}

/** The whole element. */
export function checkoutView(view: CheckoutView): TemplateResult {
  const { t } = view;
  if (!t) return bootView(view);
  const v: WithTexts = { ...view, t };
  const { locale, config } = v;
  const payment = v.result?.payment;
  const choices =
    !config || v.offers.length === 0
      ? nothing
      : html`${amountLine(config, t, locale)}
        ${v.qr ? qrView(v.qr, v.onPhone, t) : methodsView({ ...v.choices, offers: v.offers, disabled: v.busy !== null }, t)}`;
  return frame(locale, v.result ? (payment ? summaryView(payment, t, locale) : nothing) : choices, statusView(v), actionView(v));
}

type Part = TemplateResult | typeof nothing;

/** The element's frame, the same in every view: the live region stays in place so that each change is announced. */
const frame = (locale: Locale, top: Part, status: Part, action: Part): TemplateResult =>
  html`<div part="base" class="base" lang=${locale}>
    ${top}
    <div part="status" class="status" role="status" aria-live="polite">${status}</div>
    ${action}
    <slot name="card-form"></slot>
  </div>`;

/** Before the companion's texts arrive: busy, or the error that kept them away, in the element's own few words. */
function bootView(v: CheckoutView): TemplateResult {
  const { problem } = v;
  const t = bootTexts(v.locale);
  const busy = v.busy === 'config' || v.result ? t.loading : null;
  const status = problem ? problemView(problem, t, v.locale) : busy ? busyLine(busy) : nothing;
  return frame(v.locale, nothing, status, problem && isRetryable(problem) ? actionButton('retry', t.retry, v.retry) : nothing);
}
