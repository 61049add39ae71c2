/**
 * The sandbox's `omise.js`: the same global API as https://cdn.omise.co/omise.js for what this product
 * uses — `Omise.setPublicKey(key)` and `Omise.createSource(type, params, callback(statusCode, response))`.
 * It posts JSON to `<its own origin>/sources/`, the origin taken from its own script URL at load time.
 * Plain ES5 so that it runs as-is in any browser; served as text, never bundled.
 */
export const OMISE_JS = String.raw`/* Opn Payments sandbox omise.js (payment-checkout). Test mode only. */
(function (window) {
  'use strict';
  var script = window.document && window.document.currentScript;
  var match = script && script.src ? /^(https?:\/\/[^\/?#]+)/i.exec(script.src) : null;
  var apiOrigin = match ? match[1] : window.location.protocol + '//' + window.location.host;
  var publicKey = null;

  function fail(callback, message) {
    setTimeout(function () {
      callback(0, { object: 'error', code: 'create_source_error', message: message });
    }, 0);
  }

  function post(path, body, callback) {
    if (!publicKey) return fail(callback, 'Omise.setPublicKey(key) must be called first');
    var xhr = new XMLHttpRequest();
    xhr.open('POST', apiOrigin + path, true);
    xhr.setRequestHeader('Content-Type', 'application/json');
    xhr.setRequestHeader('Authorization', 'Basic ' + window.btoa(publicKey + ':'));
    xhr.timeout = 60000;
    xhr.onload = function () {
      var response;
      try {
        response = JSON.parse(xhr.responseText);
      } catch (e) {
        return callback(0, { object: 'error', code: 'create_source_error', message: 'unreadable response from ' + apiOrigin });
      }
      callback(xhr.status, response);
    };
    xhr.onerror = function () {
      callback(0, { object: 'error', code: 'create_source_error', message: 'network error: could not reach ' + apiOrigin });
    };
    xhr.ontimeout = function () {
      callback(0, { object: 'error', code: 'create_source_error', message: 'timed out reaching ' + apiOrigin });
    };
    xhr.send(JSON.stringify(body));
  }

  window.Omise = {
    /** Where this script sends requests (the sandbox it was loaded from). */
    config: { apiOrigin: apiOrigin },
    setPublicKey: function (key) {
      publicKey = key;
      return key;
    },
    createSource: function (type, params, callback) {
      var body = { type: type };
      var name;
      params = params || {};
      for (name in params) {
        if (Object.prototype.hasOwnProperty.call(params, name)) body[name] = params[name];
      }
      post('/sources/', body, callback);
    },
    createToken: function (what, params, callback) {
      setTimeout(function () {
        callback(400, { object: 'error', code: 'bad_request', message: 'cards are not emulated by the payment-checkout sandbox' });
      }, 0);
    }
  };
})(window);
`;
