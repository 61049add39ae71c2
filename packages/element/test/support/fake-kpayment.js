// A stand-in for kpayment.min.js with the real script's contract (kpayment-gateway.md §2, and the sandbox's
// script): it reads the data-* attributes of its own tag (document.currentScript) and looks for its parent form,
// draws its "Pay Now" button unless data-show-button="false", and defines a global KPayment with show(),
// onClose(fn) and create(). Each run of the script defines a new KPayment bound to its own tag, as the sandbox's does.
// Tests read and steer it through `window.fakeKPayment`:
// - loads, creates, shows (the attributes and form action each show() saw), closeHandlers (registered so far);
// - showResult: what show() answers (false: invalid attributes, as the real script disables itself);
// - close(): the shopper closes the card form; pay(fields): the card form returns a token, the script adds hidden
//   inputs to its form and submits it (HTMLFormElement.prototype.submit, as the sandbox's script does).
(function () {
  const state = (window.fakeKPayment ??= { loads: 0, creates: 0, shows: [], closeHandlers: 0, showResult: true });
  state.loads += 1;
  const load = state.loads;
  const script = document.currentScript;
  const handlers = [];
  let config = {};
  let open = false;
  let button = null;

  function read() {
    config = {};
    for (const attribute of script.attributes) {
      if (attribute.name.startsWith('data-')) config[attribute.name.slice(5)] = attribute.value;
    }
  }
  function parentForm() {
    let node = script.parentNode;
    while (node && node.nodeName !== 'FORM') node = node.parentNode;
    return node;
  }
  function render() {
    if (config['show-button'] === 'false') {
      button?.remove();
      button = null;
    } else if (!button && script.parentNode) {
      button = document.createElement('button');
      button.type = 'button';
      button.className = 'kpayment-button';
      button.textContent = 'Pay Now';
      script.after(button);
    }
  }

  window.KPayment = {
    show() {
      const form = parentForm();
      state.shows.push({ load, attributes: { ...config }, action: form ? form.getAttribute('action') : null, method: form ? form.method : null });
      if (!state.showResult || !form) return false;
      open = true;
      return true;
    },
    onClose(fn) {
      if (typeof fn === 'function') handlers.push(fn);
      state.closeHandlers += 1;
    },
    create() {
      state.creates += 1;
      read();
      render();
      return true;
    },
  };

  state.isOpen = () => open;
  state.close = () => {
    if (!open) throw new Error('the card form is not open');
    open = false;
    for (const handler of handlers) handler();
  };
  state.pay = (fields) => {
    if (!open) throw new Error('the card form is not open');
    open = false;
    const form = parentForm();
    for (const [name, value] of Object.entries(fields)) {
      const input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      input.value = value;
      form.appendChild(input);
    }
    HTMLFormElement.prototype.submit.call(form);
  };

  read();
  render();
})();
