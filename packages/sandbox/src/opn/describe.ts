import { SCENARIO_FIELDS } from '../faults.ts';

/** What the Opn emulator serves, for the sandbox's `GET /` (its `opn` part). */
export function describeOpn(origin: string) {
  return {
    api: origin,
    vault: origin,
    omise_js: `${origin}/omise.js`,
    keys: 'any pkey_test_<x> / skey_test_<x> pair is a merchant of its own',
    endpoints: [
      'POST /sources',
      'GET /sources/:id',
      'POST /charges',
      'GET /charges',
      'GET /charges/:id',
      'POST /charges/:id/expire',
      'POST /charges/:id/capture',
      'POST /charges/:id/reverse',
      'POST|GET /charges/:id/refunds',
      'GET /events',
      'GET /events/:id',
      'GET /payments/:id/authorize',
    ],
    // The sandbox's clock routes too: `GET /` and the banner have always listed them with Opn's controls.
    controls: [
      'POST /_sandbox/opn/webhooks {url} (secret key)',
      // The fault scenario shared with K-Payment (faults.ts). `after: "commit"`: the request takes effect (a charge
      // is made) and only its answer is the error, the hold or the reset; `on: "POST /charges"`: only such requests.
      `POST|GET /_sandbox/scenario ${SCENARIO_FIELDS} (secret key)`,
      'POST /_sandbox/opn/charges/:id/complete {result, failure_code} (secret key)',
      'GET /_sandbox/opn/webhook-deliveries (secret key)',
      'POST /_sandbox/clock/advance {ms}',
      'GET /_sandbox/clock',
    ],
  };
}

export type OpnDescription = ReturnType<typeof describeOpn>;

/** Its paragraph of the standalone command's banner, and its controls. */
export function opnBanner(origin: string) {
  const info = describeOpn(origin);
  const about = `Opn Payments (test mode; any pkey_test_<x> / skey_test_<x> pair is a merchant)
  API base         ${info.api}   (in place of https://api.omise.co and https://vault.omise.co)
  omise.js         ${info.omise_js}
  authorize pages  ${info.api}/payments/<pay2_test_…>/authorize
  endpoints        ${info.endpoints.join(', ')}`;
  return { about, controls: info.controls };
}
