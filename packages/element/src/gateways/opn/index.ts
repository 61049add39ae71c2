// `@payment-checkout/element/opn`: Opn's browser helpers, for pages that use Omise.js next to the element.
export { createOpnSource, type OmiseJs, type OpnSourceParams, OpnSourceError } from './source.ts';

