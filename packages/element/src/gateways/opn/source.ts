import type { Platform } from '@payment-checkout/core/catalog';
import type { Currency } from '@payment-checkout/core/money';
import { StarterError } from '../starter.ts';

/** The parameters of `Omise.createSource` the element sends. */
export interface OpnSourceParams {
  amount: number;
  currency: Currency;
  platform_type?: Platform;
}

/** The global that Opn's omise.js (and the sandbox's) defines. */
export interface OmiseJs {
  setPublicKey(publicKey: string): void;
  createSource(type: string, params: OpnSourceParams, callback: (statusCode: number, response: unknown) => void): void;
}

declare global {
  interface Window {
    Omise?: OmiseJs;
  }
}

/** Omise.js refused to create a source, or did not answer. `code` is Opn's (`invalid_amount`, …) when it gave one. */
export class OpnSourceError extends StarterError {
  override readonly name: string = 'OpnSourceError';
  /** The HTTP status Omise.js reported; 0 when the request did not reach Opn. */
  readonly statusCode: number;
  constructor(code: string, message: string, statusCode: number) {
    super(code, statusCode === 0 ? 'unreachable' : 'refused', message);
    this.statusCode = statusCode;
  }
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** `Omise.createSource` as a promise of the source id; rejects with an OpnSourceError, or after `timeoutMs`. */
export function createOpnSource(
  omise: OmiseJs,
  type: string,
  params: OpnSourceParams,
  timeoutMs = 30_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new OpnSourceError('timeout', 'Opn did not answer in time', 0)), timeoutMs);
    omise.createSource(type, params, (statusCode, response) => {
      clearTimeout(timer);
      const id = field(response, 'id');
      if (field(response, 'object') === 'source' && typeof id === 'string' && id.startsWith('src_')) {
        resolve(id);
        return;
      }
      const code = field(response, 'code');
      const message = field(response, 'message');
      reject(
        new OpnSourceError(
          typeof code === 'string' ? code : statusCode === 0 ? 'network_error' : 'unexpected_response',
          typeof message === 'string' ? message : `Opn answered HTTP ${statusCode}`,
          statusCode,
        ),
      );
    });
  });
}
