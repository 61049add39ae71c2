import { SCENARIO_FIELDS } from '../faults.ts';

/** What the K-Payment emulator serves, for the sandbox's `GET /` (its `kpayment` part). */
export function describeKpayment(origin: string) {
  return {
    api: origin,
    kpayment_js: `${origin}/ui/v2/kpayment.min.js`,
    keys: 'any pkey_test_<x> / skey_test_<x> pair is a merchant of its own (header x-api-key)',
    endpoints: [
      'POST /card/v2/charge',
      'GET /card/v2/charge/:charge_id|reference_order|order_id[/:transaction_date]',
      'POST /card/v2/charge/:id/void',
      'POST /card/v2/charge/:id/settle',
      'POST /card/v2/charge/:id/refund',
      'POST /card/v2/customer',
      'GET|POST|PATCH|DELETE /card/v2/customer/:id',
      'POST /card/v2/customer/:id/card',
      'DELETE /card/v2/customer/:id/card/:card_id',
      'POST /ui/v2/token (public key; the card form\'s backend)',
      'GET /KPGW-Auth3d-Webapi/Authorize/:auth_id (3-D Secure page, OTP 123456)',
      'POST /card/v2/charge {source_type: alipay|unionpay} → redirect_url',
      'GET /kpgw/alipay/:redr_id (Alipay page: QR, Pay / Fail)',
      'GET /kpgw/unionpay/:redr_id (UnionPay page: §7.3 test cards)',
      'POST /qr/v2/order {source_type: qr|wechat}',
      'GET /qr/v2/order/:order_id',
      'GET /qr/v2/qr/:charge_id|order_id',
      'POST /qr/v2/qr/:charge_id/void',
      'POST /qr/v2/qr/:qr_id/cancel',
      'GET /ui/v2/qr-popup (the QR popup kpayment.min.js opens for data-payment-methods="qr"|"wechat")',
    ],
    qr_simulator: `${origin}/_sandbox/kpayment/qr-simulator`,
    controls: [
      'GET|POST /_sandbox/kpayment/settings {callbackUrl, notifyUrl, threeDSecure, mid, dccMid, smartpayIds, installmentPlans, notify} (secret key)',
      `POST|GET /_sandbox/kpayment/scenario ${SCENARIO_FIELDS} (secret key; faults the Charge, Customer, Order and QR APIs and the notifies)`,
      'GET /_sandbox/kpayment/notify-deliveries (secret key)',
      'POST /_sandbox/kpayment/charges/:id/authenticate {otp} (secret key)',
      'GET /_sandbox/kpayment/qr-simulator[?qr=:qr_id] (QR Simulator page: Pay, Fail, Expire)',
      'POST /_sandbox/kpayment/orders/:order_id/qr (secret key; opens the order\'s QR as the script does)',
      'GET /_sandbox/kpayment/qr/:qr_id (secret key)',
      'POST /_sandbox/kpayment/qr/:qr_id|order_id/pay {channel: kplus|other_bank|wechat} (secret key)',
      'POST /_sandbox/kpayment/qr/:qr_id|order_id/fail {failure_code} (secret key)',
      'POST /_sandbox/kpayment/qr/:qr_id|order_id/expire (secret key)',
      'POST /_sandbox/kpayment/charges/:id/alipay {result: pay|fail} (secret key)',
      'POST /_sandbox/kpayment/charges/:id/unionpay {card_number, expiry, cvn2, sms_code, pin} (secret key)',
    ],
  };
}

export type KpaymentDescription = ReturnType<typeof describeKpayment>;

/** Its paragraph of the standalone command's banner, and its controls. */
export function kpaymentBanner(origin: string) {
  const info = describeKpayment(origin);
  const about = `K-Payment Gateway: cards, Thai QR, WeChat Pay, Alipay, UnionPay (test mode; header x-api-key)
  API base         ${info.api}   (in place of the gateway's API host)
  kpayment.min.js  ${info.kpayment_js}
  QR Simulator     ${info.qr_simulator}
  endpoints        ${info.endpoints.join(', ')}`;
  return { about, controls: info.controls };
}
