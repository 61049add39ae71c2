import { isAriaDisabled, money, setAriaDisabled } from '../shared.ts';
import { confirmOperation } from './operation-dialog.ts';
import { type OperationInput, type OperationName, type OperationOffer, OperationsError, type PaymentDetail, runOperation } from './operations-api.ts';
import { OPERATION_LABELS } from './payment-labels.ts';

/**
 * A payment's operations as buttons: the ones the API offers (a refused one disabled, with its reason), then
 * "Check now". Each money operation is confirmed in the dialog first; while it runs every button waits; the
 * answer's error (and the gateway's code) is shown when it fails.
 */

export interface PaymentOperationsElements {
  /** The section that is busy while an operation runs. */
  panel: HTMLElement;
  /** The operations' heading (tabindex -1): where the focus goes when the operation's button can no longer run. */
  heading: HTMLElement;
  list: HTMLUListElement;
  status: HTMLElement;
  problem: HTMLElement;
  dialog: HTMLDialogElement;
}

export interface PaymentOperationsOptions {
  /** After an operation: the payment as the API answered it, or null when it failed (read it again for its log). */
  changed(detail: PaymentDetail | null): Promise<void>;
}

function item(name: OperationName, note: string, allowed: boolean): HTMLLIElement {
  const li = document.createElement('li');
  const button = document.createElement('button');
  button.type = 'button';
  button.dataset.operation = name;
  button.textContent = OPERATION_LABELS[name].button;
  button.disabled = !allowed;
  const span = document.createElement('span');
  span.className = allowed ? 'note' : 'note refused';
  span.id = `operation-${name}-note`;
  span.textContent = note;
  button.setAttribute('aria-describedby', span.id);
  li.append(button, span);
  return li;
}

export class PaymentOperations {
  #detail: PaymentDetail | null = null;
  #busy = false;
  /**
   * The last money operation whose answer was lost (no answer, a 5xx), with the Idempotency-Key it was sent with: the
   * same operation of the same payment and amount confirmed again is sent with that key, so it cannot happen twice.
   */
  #unanswered: { paymentId: string; name: OperationName; amount: number | undefined; key: string } | null = null;

  constructor(
    private readonly el: PaymentOperationsElements,
    private readonly options: PaymentOperationsOptions,
  ) {
    el.list.addEventListener('click', (event) => {
      const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-operation]');
      if (button && !button.disabled && !isAriaDisabled(button)) void this.#start(button.dataset.operation as OperationName, button);
    });
  }

  /** Shows the operations of a payment; messages stay while it is the same payment. */
  show(detail: PaymentDetail): void {
    if (this.#detail?.payment.id !== detail.payment.id) this.#say('', '');
    this.#detail = detail;
    const { payment } = detail;
    const offers = detail.operations;
    const items = offers.map((offer) => {
      if (!offer.allowed) return item(offer.name, offer.reason ?? 'Not possible now.', false);
      // Expire and cancel end an unpaid payment: there is no amount to state.
      if (offer.name === 'expire' || offer.name === 'cancel') return item(offer.name, 'Ends it unpaid: the shopper can no longer pay it.', true);
      const max = offer.maxAmount ?? payment.amount;
      const partial = offer.name === 'refund' || offer.name === 'settle';
      return item(offer.name, `${partial ? 'Up to' : 'All of'} ${money(max, payment.currency)}`, true);
    });
    items.push(item('check', 'Asks the gateway for this payment’s state now.', true));
    this.el.list.replaceChildren(...items);
    this.#setBusy(this.#busy);
  }

  #say(status: string, problem: string): void {
    this.el.status.textContent = status;
    this.el.problem.textContent = problem;
    this.el.problem.hidden = problem === '';
  }

  #setBusy(busy: boolean, running?: HTMLButtonElement): void {
    this.#busy = busy;
    this.el.panel.setAttribute('aria-busy', String(busy));
    // aria-disabled rather than disabled: the running button keeps the focus (a disabled one drops it to <body>).
    for (const button of this.el.list.querySelectorAll<HTMLButtonElement>('button[data-operation]:enabled')) setAriaDisabled(button, busy);
    if (running) running.textContent = OPERATION_LABELS[running.dataset.operation as OperationName].busy;
  }

  async #start(name: OperationName, button: HTMLButtonElement): Promise<void> {
    const detail = this.#detail;
    if (!detail || this.#busy) return;
    let input: OperationInput | null = {};
    if (name !== 'check') {
      const offer = detail.operations.find((o: OperationOffer) => o.name === name);
      input = await confirmOperation(this.el.dialog, { operation: name, payment: detail.payment, maxAmount: offer?.maxAmount ?? null });
      if (input === null) return;
    }
    const labels = OPERATION_LABELS[name];
    const amount = input.amount != null ? ` ${money(input.amount, detail.payment.currency)}` : '';
    this.#say(`${labels.busy.replace('…', '')}${amount}…`, '');
    this.#setBusy(true, button);
    let answer: PaymentDetail | null = null;
    let failure: unknown = null;
    const same = this.#unanswered;
    const key =
      name === 'check' ? undefined : same && same.paymentId === detail.payment.id && same.name === name && same.amount === input.amount ? same.key : crypto.randomUUID();
    try {
      answer = await runOperation(detail.payment.id, name, input, key);
      this.#say(name === 'check' ? 'Checked with the gateway.' : `${labels.done}${amount}.`, '');
    } catch (err) {
      failure = err;
    } finally {
      this.#busy = false;
    }
    await this.options.changed(answer);
    // Unanswered, and the payment read back shows no change: the same operation asked again goes with the same key.
    if (key) this.#unanswered = unanswered(failure) && !moved(detail, this.#detail) ? { paymentId: detail.payment.id, name, amount: input.amount, key } : null;
    // The buttons are drawn again from the payment as it is now; until then none may run.
    if (this.#detail === detail) this.show(detail);
    if (failure !== null) this.#sayFailure(failure, labels.button, detail, this.#detail);
    // The live regions say what happened; focusing one of them would say it twice. The button pressed was drawn
    // again, which dropped the focus: the reader stays on it while it can run again, else goes to the operations' heading.
    const lost = document.activeElement === null || document.activeElement === document.body;
    if (lost && this.#detail?.payment.id === detail.payment.id) {
      const again = this.el.list.querySelector<HTMLButtonElement>(`button[data-operation="${name}"]:enabled`);
      (again ?? this.el.heading).focus();
    }
  }

  /**
   * Why an operation did not answer as asked. A refusal (409, 4xx) changed nothing. No answer (a 502, the network)
   * may have changed the payment all the same: it was read back, and what it shows now says whether it happened.
   */
  #sayFailure(err: unknown, button: string, before: PaymentDetail, after: PaymentDetail | null): void {
    const message = err instanceof OperationsError ? err.message : String(err);
    if (unanswered(err)) {
      this.#say(
        '',
        moved(before, after)
          ? `${button}: no answer came, but the payment now shows it done (read back from the gateway). Do not ask again. (${message})`
          : `${button}: no answer came, and the payment shows no change yet. It may still have happened: asking for the same again is safe, it is never done twice. (${message})`,
      );
      return;
    }
    const g = err instanceof OperationsError ? err.gateway : null;
    const gateway = g ? ` Gateway code: ${g.code}.${message.includes(g.message) ? '' : ` ${g.message}`}` : '';
    this.#say('', `${button} failed: ${message.replace(/([^.])$/, '$1.')}${gateway}`);
  }
}

/** No answer came (the network, a 5xx): the operation may have happened. A 4xx is a refusal, which changed nothing. */
function unanswered(err: unknown): boolean {
  if (err === null) return false;
  const status = err instanceof OperationsError ? err.status : 0;
  return status >= 500 || status === 0;
}

/** Whether the payment read back after an operation shows a change from before it. */
function moved(before: PaymentDetail, after: PaymentDetail | null): boolean {
  const was = before.payment;
  const now = after?.payment.id === was.id ? after.payment : null;
  return now !== null && (now.status !== was.status || now.refundedAmount !== was.refundedAmount || now.settledAmount !== was.settledAmount);
}
