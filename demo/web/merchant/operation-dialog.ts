import { type Currency, decimalToMinor, minorToDecimal } from '@payment-checkout/core/money';
import { money } from '../shared.ts';
import type { MoneyOperation, OperationInput, PaymentSummary } from './operations-api.ts';
import { OPERATION_LABELS } from './payment-labels.ts';

/**
 * The confirmation before an operation: a modal <dialog> that states what will happen and for how much. Refund
 * and settle take an amount (major units, at most `maxAmount`, by default all of it); refund and void a reason.
 */

export interface ConfirmRequest {
  operation: MoneyOperation;
  payment: PaymentSummary;
  /** Minor units: the most a refund or a settlement may take (the API's `maxAmount`). */
  maxAmount: number | null;
}

const TAKES_AMOUNT: readonly MoneyOperation[] = ['refund', 'settle'];
const TAKES_REASON: readonly MoneyOperation[] = ['refund', 'void'];

/** What the merchant is asked, for the amount at stake. */
function statement(operation: MoneyOperation, amount: string, method: string): string {
  switch (operation) {
    case 'refund':
      return `Refund ${amount} to the shopper? A refund cannot be undone.`;
    case 'void':
      // A card's void releases a hold before settlement; a QR's or a wallet's gives back money already paid.
      return method === 'card'
        ? `Void this payment of ${amount}? The shopper’s bank releases all of it, and it cannot be settled any more.`
        : `Void this payment of ${amount}? All of it goes back to the shopper; a void cannot be undone.`;
    case 'settle':
      return `Settle ${amount} of this payment? The bank pays you this amount; what is not settled is released to the shopper.`;
    case 'capture':
      return `Capture ${amount}? The shopper is charged this amount.`;
    case 'reverse':
      return `Reverse this payment of ${amount}? All of it goes back to the shopper.`;
    case 'expire':
      return `Expire this payment of ${amount}? The shopper can no longer pay it.`;
    case 'cancel':
      return `Cancel this payment of ${amount}? The shopper can no longer pay it.`;
  }
}

function element<T extends HTMLElement>(dialog: HTMLDialogElement, selector: string): T {
  return dialog.querySelector<T>(selector)!;
}

/** Reads the amount field: minor units, or a message saying what is wrong with it. */
function readAmount(value: string, currency: Currency, max: number): number | string {
  let minor: number;
  try {
    minor = decimalToMinor(value, currency);
  } catch {
    return `Enter an amount in ${currency}, e.g. ${minorToDecimal(max, currency)}.`;
  }
  if (minor <= 0) return 'Enter an amount above zero.';
  if (minor > max) return `At most ${money(max, currency)}.`;
  return minor;
}

/**
 * Asks the merchant to confirm; resolves with the operation's input, or null when they keep the payment as it
 * is (the "Keep" button or Escape).
 */
export function confirmOperation(dialog: HTMLDialogElement, request: ConfirmRequest): Promise<OperationInput | null> {
  const { operation, payment } = request;
  const { currency } = payment;
  const labels = OPERATION_LABELS[operation];
  const form = element<HTMLFormElement>(dialog, 'form');
  const amountField = element<HTMLElement>(dialog, '#confirm-amount-field');
  const amountInput = element<HTMLInputElement>(dialog, '#confirm-amount');
  const reasonField = element<HTMLElement>(dialog, '#confirm-reason-field');
  const reasonInput = element<HTMLInputElement>(dialog, '#confirm-reason');
  const amountProblem = element<HTMLElement>(dialog, '#confirm-amount-problem');
  const text = element<HTMLElement>(dialog, '#confirm-text');
  const confirm = element<HTMLButtonElement>(dialog, '#confirm-button');
  const keep = element<HTMLButtonElement>(dialog, '#confirm-keep');

  const takesAmount = TAKES_AMOUNT.includes(operation);
  const max = request.maxAmount ?? payment.amount - payment.refundedAmount;
  element<HTMLElement>(dialog, '#confirm-title').textContent = `${labels.button} payment ${payment.id}?`;
  element<HTMLElement>(dialog, '#confirm-amount-label').textContent = `Amount (${currency}, at most ${money(max, currency)})`;
  amountField.hidden = !takesAmount;
  amountInput.disabled = !takesAmount;
  amountInput.value = takesAmount ? minorToDecimal(max, currency) : '';
  reasonField.hidden = !TAKES_REASON.includes(operation);
  reasonInput.disabled = reasonField.hidden;
  reasonInput.value = '';

  // The statement and the button always say the amount that will be sent.
  const update = (): number | null => {
    const amount = takesAmount ? readAmount(amountInput.value, currency, max) : payment.amount;
    amountInput.setCustomValidity(typeof amount === 'string' ? amount : '');
    amountInput.setAttribute('aria-invalid', String(typeof amount === 'string'));
    amountProblem.textContent = typeof amount === 'string' ? amount : '';
    const shown = typeof amount === 'number' ? money(amount, currency) : '…';
    text.textContent = statement(operation, shown, payment.method);
    confirm.textContent = `${labels.button} ${shown}`;
    confirm.disabled = typeof amount === 'string';
    return typeof amount === 'number' ? amount : null;
  };
  update();

  return new Promise((resolve) => {
    const onInput = () => void update();
    const onSubmit = (event: SubmitEvent) => {
      if ((event.submitter as HTMLButtonElement | null)?.value !== 'confirm') return;
      if (update() === null) event.preventDefault();
    };
    const onKeep = () => dialog.close('keep');
    const onClose = () => {
      amountInput.removeEventListener('input', onInput);
      form.removeEventListener('submit', onSubmit);
      keep.removeEventListener('click', onKeep);
      if (dialog.returnValue !== 'confirm') {
        resolve(null);
        return;
      }
      const input: OperationInput = {};
      if (takesAmount) input.amount = update() ?? undefined;
      const reason = reasonInput.value.trim();
      if (!reasonField.hidden && reason) input.reason = reason;
      resolve(input);
    };
    amountInput.addEventListener('input', onInput);
    form.addEventListener('submit', onSubmit);
    keep.addEventListener('click', onKeep);
    dialog.addEventListener('close', onClose, { once: true });
    dialog.returnValue = '';
    dialog.showModal();
    (takesAmount ? amountInput : keep).focus();
  });
}
