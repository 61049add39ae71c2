import { type SafeHtml, html } from '../html.ts';

/** Everything the shopper reads on Opn's hosted pages (the authorize page), in the pages' language (`PAGE_LANG`). */
export const AUTHORIZE_TEXTS = {
  title: 'Authorize payment',
  decidedTitle: 'Payment',
  method: 'Payment method',
  amount: 'Amount',
  merchant: 'Merchant',
  description: 'Description',
  charge: 'Charge',
  expires: 'Expires',
  successful: 'Successful',
  orFail: 'Or make it fail',
  failureCode: 'Failure code',
  failed: 'Failed',
  leave: 'Leave without deciding (back to the merchant)',
  back: 'Return to the merchant',
  notFoundTitle: 'Payment not found',
  notFound: (paymentId: string) => html`No payment <code>${paymentId}</code> exists in this sandbox.`,
  qrAlt: (method: string) => `QR code of this payment, to scan with the ${method} app`,
  scan: (method: string) => `Scan with the ${method} app, or decide below.`,
  onPhone: (platform: string, method: string) => `On a phone (${platform}) the real page opens the ${method} app; in the sandbox you decide here.`,
  successfulState: html`This payment was <strong>successful</strong>.`,
  failedState: (message: string | null, code: string | null): SafeHtml => html`This payment <strong>failed</strong>: ${message} (<code>${code}</code>)`,
  expiredState: (at: SafeHtml): SafeHtml => html`This payment <strong>expired</strong> on ${at}.`,
  reversedState: html`This payment was <strong>reversed</strong>: the authorization was released.`,
  authorizedState: html`This payment is <strong>authorized</strong> and waits for the merchant to capture it.`,
} as const;
