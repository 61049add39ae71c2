import type { MethodOffer } from '@payment-checkout/core/api';
import type { ReactiveControllerHost } from 'lit';
import { gatewayEntry } from '../gateways/index.ts';
import type { ViewKit } from '../payment-checkout/view-kit.ts';
import type { QrSessionController, QrSessionOptions } from '../qr/index.ts';
import type { PaymentStartController, PaymentStartOptions } from './payment-start.ts';
import type { PollController } from './poller.ts';

export interface PayingPartsOptions {
  start: Omit<PaymentStartOptions, 'starter'>;
  qr: QrSessionOptions;
  /** What the QR code's views use of the element's first file. */
  kit: ViewKit;
}

/**
 * What paying needs beyond the element's first file, each a chunk of its own, loaded once, as the shopper selects a
 * method (so that it is there when they pay): the starting of payments, the gateway's starter, and for a QR code its
 * session and views. A page that only shows a result, or that the shopper leaves, never loads them.
 */
export class PayingParts {
  /** Starting a payment with the chosen method's gateway, and its form in the page; made by `prepare`. */
  starts: PaymentStartController | undefined;
  /** The QR code on screen: its countdown, expiry and polls; made by `prepare` for a QR method. */
  qr: QrSessionController | undefined;
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #poller: PollController;
  readonly #options: PayingPartsOptions;

  constructor(host: ReactiveControllerHost & HTMLElement, poller: PollController, options: PayingPartsOptions) {
    this.#host = host;
    this.#poller = poller;
    this.#options = options;
  }

  /** Loads what paying with `offer` needs; rejects (code `script_load_failed`) when a part does not load. */
  prepare(offer: MethodOffer): Promise<unknown> {
    const loads = Promise.all([this.#loadStarts(), gatewayEntry(offer.gateway)?.load(), offer.flow === 'embedded_qr' && this.#loadQr()]).catch(chunkError);
    void loads.catch(() => undefined); // awaited by a payment, which says what failed
    return loads;
  }

  /** Takes the gateway's form (card form or QR code) out of the page, and ends the QR code's countdown and polls. */
  close(): void {
    this.starts?.close();
    this.qr?.close();
  }

  async #loadStarts(): Promise<void> {
    const { PaymentStartController } = await import('./payment-start.ts');
    this.starts ??= new PaymentStartController(this.#host, { ...this.#options.start, starter: (gateway) => gatewayEntry(gateway)?.load() ?? null });
  }

  async #loadQr(): Promise<void> {
    const { QrSessionController } = await import('../qr/index.ts');
    this.qr ??= new QrSessionController(this.#host, this.#poller, this.#options.qr, this.#options.kit);
  }
}

/**
 * A part that did not load (a chunk of the element, or a gateway's starter): read as a script that did not load (the
 * shopper may try again). The browser's own error goes on to `checkout-error`: its message names the URL that failed
 * (in Chromium; Safari's does not), for the developer (a folder served without its chunks/, say).
 */
function chunkError(error: unknown): never {
  throw Object.assign(error as Error, { code: 'script_load_failed' });
}
