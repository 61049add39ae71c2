import { type CardForm, mountCardForm } from '@payment-checkout/element/kpayment';
import { type SessionView, loadSession, showAccountNav } from './shared.ts';

/**
 * The demo account: sign in or out, the shopper's saved cards, and "Save a card" (K-Payment register-3D). The
 * element has no view for saving a card, so this page opens the same kpayment.min.js form with the element's
 * `mountCardForm`; the companion checks the card with a THB 1.00 3-D Secure authorization and sends the shopper
 * back here with `?registration=…&status=…`.
 */

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const signInForm = $<HTMLFormElement>('#sign-in');
const signedIn = $('#signed-in');
const resultLine = $('#registration-result');
const saveButton = $<HTMLButtonElement>('#save-card');
const saveProblem = $('#save-problem');
let cardForm: CardForm | undefined;

interface SavedCard { id: string; brand: string | null; masked: string | null; expiry: string | null }
interface RegistrationView { status: 'pending' | 'saved' | 'failed'; failureMessage: string | null; failureCode: string | null }

async function render(session: SessionView): Promise<void> {
  await showAccountNav(session);
  signInForm.hidden = session.shopper !== null;
  signedIn.hidden = session.shopper === null;
  if (!session.shopper) return;
  $('#shopper-name').textContent = session.shopper.name;
  $('#shopper-email').textContent = session.shopper.email;
  const res = await fetch('/api/account/cards');
  const { cards } = res.ok ? ((await res.json()) as { cards: SavedCard[] }) : { cards: [] };
  $('#cards').replaceChildren(
    ...cards.map((card) => {
      const li = document.createElement('li');
      li.textContent = `${(card.brand ?? 'Card').toUpperCase()} ${card.masked ?? ''}`.trim();
      return li;
    }),
  );
  $('#no-cards').hidden = cards.length > 0;
}

function problem(where: HTMLElement, text: string | null): void {
  where.textContent = text ?? '';
  where.hidden = text === null;
}

signInForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = new FormData(signInForm);
  const res = await fetch('/api/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: data.get('email'), name: data.get('name') }),
  });
  if (!res.ok) {
    problem($('#sign-in-problem'), 'Enter an e-mail address and a name.');
    return;
  }
  problem($('#sign-in-problem'), null);
  await render((await res.json()) as SessionView);
});

$('#sign-out').addEventListener('click', async () => {
  await fetch('/api/session', { method: 'DELETE' });
  resultLine.hidden = true;
  await render({ shopper: null });
});

saveButton.addEventListener('click', async () => {
  if (cardForm) return;
  saveButton.disabled = true;
  problem(saveProblem, null);
  try {
    const reference = await fetch('/api/account/card-registrations', { method: 'POST' });
    if (!reference.ok) throw new Error('Sign in to save a card.');
    const { reference: orderId } = (await reference.json()) as { reference: string };
    const started = await fetch('/checkout/kpayment/registrations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderId }),
    });
    const body = (await started.json()) as { next?: Parameters<typeof mountCardForm>[0]; error?: { message: string } };
    if (!started.ok || !body.next) throw new Error(body.error?.message ?? 'The card could not be saved now.');
    const form = await mountCardForm(body.next, {
      mount: (f) => $('#card-form-host').append(f),
      onClose: () => {
        cardForm = undefined;
        saveButton.disabled = false;
        saveButton.focus();
      },
      onSubmit: () => problem(resultLine, 'Checking your card…'),
    });
    cardForm = form;
    form.show();
  } catch (error) {
    cardForm?.remove();
    cardForm = undefined;
    saveButton.disabled = false;
    problem(saveProblem, error instanceof Error ? error.message : 'The card could not be saved now.');
  }
});

/** Back from the bank: the companion verified the registration; ask it how it ended (it may still be settling). */
async function showRegistration(id: string): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const res = await fetch(`/checkout/kpayment/registrations/${encodeURIComponent(id)}`);
    if (!res.ok) {
      problem(resultLine, 'This card registration is not known.');
      return;
    }
    const registration = (await res.json()) as RegistrationView;
    if (registration.status === 'saved') {
      resultLine.className = 'notice';
      problem(resultLine, 'Your card was saved.');
      return;
    }
    if (registration.status === 'failed') {
      resultLine.className = 'problem';
      problem(resultLine, `Your card was not saved: ${registration.failureMessage ?? 'the bank declined it.'}`);
      return;
    }
    problem(resultLine, 'Waiting for your bank…');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

const registrationId = new URLSearchParams(location.search).get('registration');
await render(await loadSession());
if (registrationId) {
  await showRegistration(registrationId);
  await render(await loadSession());
}
