import type { GatewayStarter } from '../starter.ts';
import { mountCardForm } from './script-form.ts';

/**
 * K-Payment (cards, Thai QR, WeChat Pay): the companion computes everything from the order, so there is nothing to
 * prepare. A `script_form` (the card form) or a `qr` next action mounts kpayment.min.js in the element's light DOM
 * (`mountCardForm`); `show()` calls `KPayment.show()`. Alipay and UnionPay are plain redirects, done by the element.
 */
export const starter: GatewayStarter = {
  async start(next, host) {
    // A QR code's post goes into a hidden frame: the element shows the result in place, whichever comes first.
    const form = await mountCardForm(next, { ...host, inFrame: next.type === 'qr' });
    return {
      // SmartPay's attributes (a SmartpayID or an instalment plan): the card form offers the terms.
      installments: next.type === 'script_form' && Boolean(next.attributes['smartpay-id'] || next.attributes['plan-id']),
      show: () => form.show(),
      remove: () => form.remove(),
    };
  },
};
