// A stand-in for Opn's omise.js with the same global API (Omise.setPublicKey, Omise.createSource). Tests read
// and steer it through `window.fakeOmise`: what was asked (`calls`), how often the script ran (`loads`), and
// optionally `respond(type, params)` returning `[statusCode, body]`.
(function () {
  const state = (window.fakeOmise ??= { loads: 0, publicKey: null, calls: [], respond: null });
  state.loads += 1;
  window.Omise = {
    setPublicKey(key) {
      state.publicKey = key;
    },
    createSource(type, params, callback) {
      state.calls.push({ type, params: JSON.parse(JSON.stringify(params)), publicKey: state.publicKey });
      const n = state.calls.length;
      const respond =
        state.respond ??
        ((t, p) => [
          200,
          {
            object: 'source',
            id: `src_test_${n}`,
            livemode: false,
            type: t,
            flow: 'app_redirect',
            amount: p.amount,
            currency: p.currency.toLowerCase(),
            platform_type: p.platform_type ?? null,
            charge_status: 'unknown',
            created_at: new Date().toISOString(),
          },
        ]);
      // Like the real script, answer after a network round trip, never synchronously.
      setTimeout(() => {
        const [statusCode, body] = respond(type, params);
        callback(statusCode, body);
      }, 0);
    },
  };
})();
