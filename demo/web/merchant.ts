// Type only: the server's schema is not sent to the browser.
import type { MerchantSettings } from '../merchant-settings.ts';
import { showAccountNav } from './shared.ts';

const form = document.querySelector<HTMLFormElement>('#settings')!;
const status = document.querySelector<HTMLElement>('#settings-status')!;
const problem = document.querySelector<HTMLElement>('#settings-problem')!;

function show(settings: MerchantSettings): void {
  form.querySelector<HTMLInputElement>('#three-d-secure')!.checked = settings.threeDSecure;
  form.querySelector<HTMLInputElement>('#dcc')!.checked = settings.dcc;
  form.querySelector<HTMLInputElement>('#kakaopay-manual-capture')!.checked = settings.kakaopayManualCapture;
  for (const radio of form.querySelectorAll<HTMLInputElement>('input[name="smartpay"]')) radio.checked = radio.value === settings.smartpay;
  form.hidden = false;
}

function fail(message: string): void {
  problem.textContent = message;
  problem.hidden = false;
}

void showAccountNav();
const res = await fetch('/api/merchant/settings');
const body = (await res.json()) as MerchantSettings & { error?: { message: string } };
if (res.ok) show(body);
else fail(body.error?.message ?? 'The settings could not be read.');

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  status.textContent = 'Saving…';
  const data = new FormData(form);
  const saved = await fetch('/api/merchant/settings', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      threeDSecure: data.has('threeDSecure'),
      smartpay: data.get('smartpay'),
      dcc: data.has('dcc'),
      kakaopayManualCapture: data.has('kakaopayManualCapture'),
    }),
  });
  if (!saved.ok) {
    status.textContent = '';
    fail('The settings could not be saved.');
    return;
  }
  show((await saved.json()) as MerchantSettings);
  status.textContent = 'Saved.';
});
