import type { html, nothing } from 'lit';
import type { busyLine, methodLabel } from './payment-checkout.views.ts';
import type { fillText } from '../texts.ts';

/**
 * What a view loaded on demand (in its own chunk, e.g. the QR code's) uses of the element's first file: Lit's
 * template tag and the element's helpers, handed over by the element rather than imported, so that the chunk shares
 * no module with the first file (a shared module would become a third file, loaded before the element starts).
 */
export interface ViewKit {
  html: typeof html;
  nothing: typeof nothing;
  fillText: typeof fillText;
  methodLabel: typeof methodLabel;
  busyLine: typeof busyLine;
}
