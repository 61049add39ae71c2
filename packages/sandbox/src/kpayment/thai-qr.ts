/**
 * EMVCo merchant-presented QR payloads (EMV QRCPS, as Thai QR Payment and PromptPay use it): data objects
 * are `tag (2 digits) + length (2 digits) + value`, and the payload ends with tag 63, the CRC-16/CCITT-FALSE
 * (polynomial 0x1021, initial value 0xFFFF) of everything before it including `6304`, in 4 uppercase hex digits.
 */

/** One data object: `tlv('58', 'TH')` → `5802TH`. Values are ASCII, 1–99 characters. */
export function tlv(tag: string, value: string): string {
  if (!/^\d{2}$/.test(tag)) throw new RangeError(`EMVCo tag must be two digits: ${tag}`);
  if (!/^[\x20-\x7e]*$/.test(value)) throw new RangeError(`EMVCo value of tag ${tag} must be printable ASCII`);
  if (value.length < 1 || value.length > 99) throw new RangeError(`EMVCo value of tag ${tag} must be 1 to 99 characters, not ${value.length}`);
  return tag + String(value.length).padStart(2, '0') + value;
}

/** CRC-16/CCITT-FALSE of the text's bytes (check value: `"123456789"` → `29B1`). */
export function crc16(text: string): string {
  let crc = 0xffff;
  for (const byte of Buffer.from(text, 'utf8')) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

/** Appends tag 63 (the CRC) to a payload of data objects. */
export function withCrc(payload: string): string {
  const body = `${payload}6304`;
  return body + crc16(body);
}

/** Splits a payload (or a template's value) into its data objects, in order; throws on a malformed one. */
export function decodeTlv(payload: string): Array<{ tag: string; value: string }> {
  const objects: Array<{ tag: string; value: string }> = [];
  let at = 0;
  while (at < payload.length) {
    const head = payload.slice(at, at + 4);
    if (!/^\d{4}$/.test(head)) throw new SyntaxError(`malformed EMVCo data object at ${at}`);
    const length = Number(head.slice(2));
    const value = payload.slice(at + 4, at + 4 + length);
    if (value.length !== length) throw new SyntaxError(`EMVCo data object ${head.slice(0, 2)} is cut short`);
    objects.push({ tag: head.slice(0, 2), value });
    at += 4 + length;
  }
  return objects;
}

/** True when the payload ends with a tag 63 whose CRC matches the rest. */
export function crcValid(payload: string): boolean {
  return payload.length > 8 && payload.slice(-8, -4) === '6304' && crc16(payload.slice(0, -4)) === payload.slice(-4);
}

/** Application id of Thai QR bill payment (merchant-presented, tag 30). */
const THAI_QR_BILL_PAYMENT_AID = 'A000000677010112';
/** ISO 4217 numeric code of the baht. */
const THB_NUMERIC = '764';

/** Keeps what a Thai QR reference or name may hold: uppercase letters, digits (and spaces for names). */
function sanitize(value: string, keep: RegExp, max: number): string {
  return value.toUpperCase().replace(keep, '').slice(0, max);
}

export interface ThaiQrInput {
  /** 15 digits: the merchant's biller id (the sandbox derives it from the merchant id). */
  billerId: string;
  /** Reference 1: identifies the QR (up to 20 uppercase letters and digits). */
  reference1: string;
  /** Reference 2: the merchant's reference_order, when it has usable characters. */
  reference2?: string;
  /** The amount in satang. */
  amountMinor: number;
  merchantName: string;
  /** Terminal label (tag 62.07). */
  terminal: string;
}

/**
 * A dynamic Thai QR bill payment (point of initiation `12`, one payment of a fixed amount in baht), the
 * kind of code a bank app scans to pay a K-Payment order.
 */
export function thaiQrPayload(input: ThaiQrInput): string {
  const billerId = input.billerId.replace(/\D/g, '').padStart(15, '0').slice(-15);
  const reference1 = sanitize(input.reference1, /[^A-Z0-9]/g, 20) || 'KPAYMENT';
  const reference2 = input.reference2 ? sanitize(input.reference2, /[^A-Z0-9]/g, 20) : '';
  const account = tlv('00', THAI_QR_BILL_PAYMENT_AID) + tlv('01', billerId) + tlv('02', reference1) + (reference2 ? tlv('03', reference2) : '');
  const name = sanitize(input.merchantName, /[^A-Z0-9 .&-]/g, 25).trim() || 'KPGW SANDBOX SHOP';
  const terminal = sanitize(input.terminal, /[^A-Z0-9]/g, 25) || 'KPGW';
  return withCrc(
    tlv('00', '01') +
      tlv('01', '12') +
      tlv('30', account) +
      tlv('53', THB_NUMERIC) +
      tlv('54', (input.amountMinor / 100).toFixed(2)) +
      tlv('58', 'TH') +
      tlv('59', name) +
      tlv('60', 'BANGKOK') +
      tlv('62', tlv('07', terminal)),
  );
}

/** WeChat Pay's "native" payment link (the `code_url` form a WeChat scan opens). */
export function wechatPayload(qrId: string): string {
  return `weixin://wxpay/bizpayurl?pr=${qrId.replace(/^qr_(test|prod)_/, '').slice(0, 16)}`;
}

/** An Alipay-style payment link for the hosted Alipay page's QR. */
export function alipayPayload(redirectId: string): string {
  return `https://qr.alipay.com/sandbox/${redirectId}`;
}
