import type { TemplateResult } from 'lit';
import type { ViewKit } from '../payment-checkout/view-kit.ts';
import type { CheckoutTexts } from '../texts.ts';
import { countdownMilestone, formatCountdown } from './countdown.ts';
import type { QrView } from './qr-session.ts';

/*
 * The QR code's views. This module is loaded with the first QR code (its own chunk), and shares no module with the
 * element's first file: Lit's `html` and the element's helpers come in the `ViewKit` the element hands over.
 */

/**
 * The QR view: the code itself is in the script's window; here are the method, the countdown (a timer, silent:
 * the live region announces only milestones) and, on a phone, how to pay with the code on the phone itself.
 * The script draws its QR code in its own (cross-origin) window, so the element cannot offer the image for
 * download: the hint points at the window's own save option or a screenshot.
 */
export function qrView({ html, nothing, fillText, methodLabel }: ViewKit, qr: QrView, onPhone: boolean, t: CheckoutTexts): TemplateResult {
  const wechat = qr.method === 'wechat_pay';
  return html`<div part="qr" class="qr" data-method=${qr.method}>
    <p part="qr-title" class="qr-title" tabindex="-1">${fillText(t.qrTitle, { method: methodLabel(qr.method, t) })}</p>
    ${qr.secondsLeft === null
      ? nothing
      : html`<p part="countdown" class="countdown ${qr.expired ? 'expired' : ''}" role="timer">
          ${qr.expired ? t.qrExpiredShort : fillText(t.expiresIn, { clock: formatCountdown(qr.secondsLeft) })}
        </p>`}
    ${onPhone && !qr.expired && !qr.submitted
      ? html`<p part="hint" class="note">${wechat ? t.phoneHintWechat : t.phoneHintThaiQr}</p>`
      : nothing}
  </div>`;
}

/** What the live region says while a QR code is shown: what to do, and the time left at a few milestones. */
export function qrStatus({ html, nothing, fillText, busyLine }: ViewKit, qr: QrView, t: CheckoutTexts): TemplateResult {
  if (qr.submitted) return busyLine(t.checkingPayment);
  if (qr.expired) {
    return html`<p part="message" class="error">${t.qrExpired}</p>
      <p part="message">${t.qrExpiredDetail}</p>`;
  }
  const milestone = qr.secondsLeft === null ? null : countdownMilestone(qr.secondsLeft);
  return html`<p part="message">${qr.method === 'wechat_pay' ? t.scanWechat : t.scanThaiQr}</p>
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
