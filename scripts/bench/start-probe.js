// Inlined as a classic script into every page of the start benchmark (scripts/bench-start.ts), for both elements.
// Plain JavaScript on purpose: it runs in the page as written, never through a bundler or tsx.
(() => {
  // The choices: a radio button each (in its label) since issue 11's redesign, in both elements.
  const BUTTONS = 'input[data-method]';

  /** The config request's timing and sizes (Resource Timing), relative to `t0`. */
  function configRequest(t0) {
    const entry = performance.getEntriesByType('resource').filter((e) => e.name.includes('/checkout/config?')).at(-1);
    if (!entry) return null;
    return {
      sent: entry.startTime - t0,
      answered: entry.responseEnd - t0,
      transferSize: entry.transferSize,
      encodedBodySize: entry.encodedBodySize,
      decodedBodySize: entry.decodedBodySize,
    };
  }

  /**
   * Resolves once `el`'s shadow root holds `expected` method buttons, none disabled: `dom`, the ms from `t0` to
   * that DOM mutation; `frame`, to a task after the next animation frame (the frame that paints them).
   */
  function whenInteractive(el, expected, t0) {
    return new Promise((resolve) => {
      const root = el.shadowRoot;
      const ready = () => {
        const buttons = root.querySelectorAll(BUTTONS);
        return buttons.length === expected && [...buttons].every((b) => !b.disabled);
      };
      const done = () => {
        const dom = performance.now() - t0;
        requestAnimationFrame(() => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => {
            const buttons = [...root.querySelectorAll(BUTTONS)];
            resolve({
              dom,
              frame: performance.now() - t0,
              config: configRequest(t0),
              // What was drawn, to check that both elements draw the same buttons in the same groups.
              buttons: buttons.map((b) => `${b.closest('fieldset')?.dataset.group}: ${(b.closest('label') ?? b).textContent.trim()}`),
            });
          };
          channel.port2.postMessage(null);
        });
      };
      if (ready()) return done();
      const observer = new MutationObserver(() => {
        if (!ready()) return;
        observer.disconnect();
        done();
      });
      observer.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['disabled'] });
    });
  }

  /** Start after insertion: from creating the element (constructor included) to its buttons. */
  window.benchInsert = (tag, orderId, expected) => {
    const t0 = performance.now();
    const el = document.createElement(tag);
    el.setAttribute('order-id', orderId);
    document.body.append(el);
    return whenInteractive(el, expected, t0);
  };

  /** Cold page: the element is in the HTML; time 0 is the navigation's start. Adds what each request transferred. */
  window.benchCold = (tag, expected) =>
    customElements
      .whenDefined(tag)
      .then(() => whenInteractive(document.querySelector(tag), expected, 0))
      .then((shown) => {
        const [page] = performance.getEntriesByType('navigation');
        const requests = [page, ...performance.getEntriesByType('resource')].map((e) => ({
          path: new URL(e.name).pathname,
          transferSize: e.transferSize,
          encodedBodySize: e.encodedBodySize,
          decodedBodySize: e.decodedBodySize,
          responseEnd: e.responseEnd,
        }));
        return { ...shown, requests };
      });
})();
