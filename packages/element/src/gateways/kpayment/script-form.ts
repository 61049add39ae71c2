import { ScriptLoadError } from '../../load-script.ts';
import { StarterError } from '../starter.ts';

/** The parts of kpayment.min.js's global `KPayment` that the element uses (kpayment-gateway.md §2.3). */
export interface KPaymentJs {
  /** Opens the card form; the sandbox's script answers `false` when its attributes are invalid. */
  show(): unknown;
  /** `fn` runs when the shopper closes the card form without paying. */
  onClose(fn: () => void): void;
  /** Re-reads the script tag's data-* attributes (for a script injected or changed after page load). */
  create?(): unknown;
}

declare global {
  interface Window {
    KPayment?: KPaymentJs;
  }
}

/** What the companion's `next: {type: 'script_form' | 'qr'}` carries for K-Payment (core's NextAction). */
export interface KPaymentFormParams {
  scriptUrl: string;
  formAction: string;
  /** The script's data-* attributes without the prefix, as the companion computed them. */
  attributes: Record<string, string>;
}

/** kpayment.min.js loaded but its card form (or QR popup) cannot be opened (no `KPayment`, or `show()` refused). */
export class CardFormError extends StarterError {
  override readonly name: string = 'CardFormError';
  constructor(message: string) {
    super('card_form_unavailable', 'unavailable', message);
  }
}

export interface CardFormCallbacks {
  /** The shopper closed the card form without paying (the form is already removed). */
  onClose(): void;
  /**
   * The script put its result in the form and is submitting it: the page is about to leave. The result is
   * `token` for a card, `chargeId` for a QR payment (Thai QR, WeChat Pay).
   */
  onSubmit(): void;
}

export interface CardFormOptions extends CardFormCallbacks {
  /** Puts the new `<form>` in the page (it must be in the light DOM: the script looks for its parent form). */
  mount(form: HTMLFormElement): void;
  /**
   * The script's post goes into a hidden frame of the form, not the page (a QR code's `chargeId`): the page stays,
   * and the element shows the result its polls read, always in the same place (the companion answers such a post
   * with 204: nothing loads in the frame).
   */
  inFrame?: boolean;
}

/** A mounted K-Payment form: `show()` opens the card form or QR popup, `remove()` takes the form (and the script) out. */
export interface CardForm {
  readonly form: HTMLFormElement;
  /** Calls `KPayment.show()`; throws CardFormError when the script refuses. */
  show(): void;
  remove(): void;
}

interface Session {
  readonly api: KPaymentJs;
  readonly form: HTMLFormElement;
  readonly options: CardFormOptions;
  observer: MutationObserver;
  submitted: boolean;
}

/**
 * The script tag that defined the current `KPayment`. There is one `KPayment` per page and it reads its own
 * script tag, so a later payment moves this tag into its new form, rewrites its attributes and calls
 * `KPayment.create()` rather than running the script again.
 */
let current: { src: string; script: HTMLScriptElement; api: KPaymentJs } | undefined;
/** The form whose card form is open (at most one: there is one `KPayment`). */
let session: Session | undefined;
/** The `KPayment` objects our close handler is registered with (`onClose` only adds, it never replaces). */
const listening = new WeakSet<KPaymentJs>();
/** Opens one form at a time, so that two elements on a page cannot interleave on the one script tag. */
let queue: Promise<unknown> = Promise.resolve();
/** Names the hidden frames that QR posts go into, one per form. */
let frames = 0;

/**
 * Puts `<form method="POST" action=formAction>` with kpayment.min.js and its data-* attributes in the page (through
 * `options.mount`) and waits until the global `KPayment` is ready for it. The script's own button is always hidden
 * (`data-show-button="false"`); call `show()` on the result to open the card form, or the QR popup when the
 * attributes say `payment-methods` `qr` / `wechat` with an `order-id`. The script submits the form itself.
 */
export function mountCardForm(params: KPaymentFormParams, options: CardFormOptions, doc: Document = document): Promise<CardForm> {
  const run = queue.then(() => mount(params, options, doc));
  queue = run.catch(() => undefined);
  return run;
}

async function mount(params: KPaymentFormParams, options: CardFormOptions, doc: Document): Promise<CardForm> {
  if (session) end(session, true);
  const src = new URL(params.scriptUrl, doc.baseURI).href;
  const attributes = { ...params.attributes, 'show-button': 'false' };
  const form = doc.createElement('form');
  form.method = 'POST';
  form.action = params.formAction;
  if (options.inFrame) {
    const frame = doc.createElement('iframe');
    frame.name = form.target = `payment-checkout-post-${++frames}`;
    frame.hidden = true;
    frame.sandbox.value = ''; // whatever answers, nothing in it runs
    form.append(frame);
  }
  options.mount(form);
  // A script outside the document never runs (and never fires load or error): refuse rather than wait forever.
  if (!form.isConnected) {
    form.remove();
    throw new CardFormError('the card form was not put in the page');
  }

  const win = doc.defaultView ?? window;
  let api: KPaymentJs;
  const reusable = current && current.src === src && win.KPayment === current.api && typeof current.api.create === 'function';
  if (current && reusable) {
    setAttributes(current.script, attributes);
    form.append(current.script);
    api = current.api;
    api.create!();
  } else {
    const script = doc.createElement('script');
    script.src = src;
    setAttributes(script, attributes);
    try {
      await runScript(script, form);
    } catch (error) {
      form.remove();
      throw error;
    }
    const loaded = win.KPayment;
    if (!loaded || typeof loaded.show !== 'function' || typeof loaded.onClose !== 'function') {
      form.remove();
      throw new CardFormError(`${src} did not define KPayment`);
    }
    api = loaded;
    current = { src, script, api };
  }

  if (!listening.has(api)) {
    listening.add(api);
    api.onClose(() => {
      if (session?.api === api) {
        const closed = session;
        end(closed, false);
        closed.options.onClose();
      }
    });
  }

  const mounted: Session = { api, form, options, observer: new MutationObserver(() => watchResult(mounted)), submitted: false };
  mounted.observer.observe(form, { childList: true });
  session = mounted;
  return {
    form,
    show: () => {
      if (session !== mounted) throw new CardFormError('this card form was removed');
      if (api.show() === false) {
        end(mounted, false);
        throw new CardFormError('KPayment.show() refused to open the card form');
      }
    },
    remove: () => end(mounted, false),
  };
}

function setAttributes(script: HTMLScriptElement, attributes: Record<string, string>): void {
  for (const { name } of [...script.attributes]) {
    if (name.startsWith('data-') && !Object.hasOwn(attributes, name.slice(5))) script.removeAttribute(name);
  }
  for (const [name, value] of Object.entries(attributes)) script.setAttribute(`data-${name}`, value);
}

function runScript(script: HTMLScriptElement, form: HTMLFormElement): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    script.addEventListener('load', () => resolve(), { once: true });
    script.addEventListener('error', () => reject(new ScriptLoadError(script.src)), { once: true });
    // Inside the form, in the page, before it runs: the script reads its own tag and looks for its parent form.
    form.append(script);
  });
}

/** What the script adds to the form before it submits it: a card token, or the charge of a paid QR. */
const RESULT_FIELDS = 'input[name="token"], input[name="chargeId"]';

function watchResult(mounted: Session): void {
  if (mounted.submitted || session !== mounted) return;
  if (mounted.form.querySelector(RESULT_FIELDS)) {
    mounted.submitted = true;
    mounted.options.onSubmit();
  }
}

/** Takes the form out; `replaced`: another form takes its place while this one was open, which counts as closed. */
function end(mounted: Session, replaced: boolean): void {
  mounted.observer.disconnect();
  // The script tag is kept for the next form (see `current`); removing the form drops any half-posted fields.
  if (current && mounted.form.contains(current.script)) current.script.remove();
  mounted.form.remove();
  if (session === mounted) {
    session = undefined;
    if (replaced) mounted.options.onClose();
  }
}
