import { expect } from '@open-wc/testing';
import { tag } from '../../../test/support/checkout-dom.ts';
import { FAKE_KPAYMENT_URL, fakeKPayment } from '../../../test/support/fake-scripts.ts';
import { CARD_FORM_ACTION, cardAttributes } from '../../../test/support/fixtures.ts';
import { ScriptLoadError } from '../../load-script.ts';
import { CardFormError, type CardFormOptions, mountCardForm } from './script-form.ts';

/** mountCardForm on its own, with the fake kpayment.min.js: the cases the element cannot easily reach. */

const params = (overrides: { scriptUrl?: string; attributes?: Record<string, string> } = {}) => ({
  scriptUrl: overrides.scriptUrl ?? FAKE_KPAYMENT_URL,
  formAction: CARD_FORM_ACTION,
  attributes: overrides.attributes ?? cardAttributes(),
});

interface Recorder extends CardFormOptions {
  closes: number;
  submits: number;
}

function into(parent: Element): Recorder {
  const recorder: Recorder = {
    closes: 0,
    submits: 0,
    mount: (form) => parent.append(form),
    onClose: () => recorder.closes++,
    onSubmit: () => recorder.submits++,
  };
  return recorder;
}

const hosts: HTMLElement[] = [];
function host(): HTMLElement {
  const div = document.createElement('div');
  document.body.append(div);
  hosts.push(div);
  return div;
}

const realSubmit = HTMLFormElement.prototype.submit;
afterEach(() => {
  HTMLFormElement.prototype.submit = realSubmit;
  for (const h of hosts.splice(0)) h.remove();
});

describe('mountCardForm', () => {
  it('refuses a form that was not put in the page instead of waiting forever, and the next one still opens', async () => {
    const detached = document.createElement('div');
    const error = await mountCardForm(params({ scriptUrl: `${FAKE_KPAYMENT_URL}?detached` }), into(detached)).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(CardFormError);
    expect(detached.children).to.have.length(0);

    const parent = host();
    const cardForm = await mountCardForm(params(), into(parent));
    cardForm.show();
    expect(fakeKPayment().isOpen()).to.equal(true);
    expect(tag(parent.querySelector('form > script'))).to.not.equal(null);
    cardForm.remove();
    expect(parent.children).to.have.length(0);
  });

  it('rejects with ScriptLoadError when the script does not load, and leaves nothing in the page', async () => {
    const parent = host();
    const missing = new URL('./no-such-kpayment-form.js', FAKE_KPAYMENT_URL).href;
    const error = await mountCardForm(params({ scriptUrl: missing }), into(parent)).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ScriptLoadError);
    expect((error as ScriptLoadError).code).to.equal('script_load_failed');
    expect(parent.children).to.have.length(0);
  });

  it('opens one form at a time: a second mount (another element) closes the first', async () => {
    const [a, b] = [host(), host()];
    const [first, second] = [into(a), into(b)];
    const [formA, formB] = await Promise.all([mountCardForm(params(), first), mountCardForm(params(), second)]);
    expect([first.closes, second.closes]).to.deep.equal([1, 0]);
    expect(a.children).to.have.length(0);
    expect(b.querySelectorAll('form > script')).to.have.length(1);
    expect(() => formA.show()).to.throw(CardFormError);

    formB.show();
    fakeKPayment().close();
    expect([first.closes, second.closes]).to.deep.equal([1, 1]);
    expect(b.children).to.have.length(0);
  });

  it('tells once when the script puts its token in the form', async () => {
    HTMLFormElement.prototype.submit = () => undefined;
    const parent = host();
    const recorder = into(parent);
    const cardForm = await mountCardForm(params(), recorder);
    cardForm.show();
    fakeKPayment().pay({ token: 'tokn_test_1', paymentMethods: 'card', mid: '401000000000001' });
    await Promise.resolve();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect([recorder.submits, recorder.closes]).to.deep.equal([1, 0]);
    expect(cardForm.form.querySelector<HTMLInputElement>('input[name="token"]')!.value).to.equal('tokn_test_1');
    cardForm.remove();
    expect(parent.children).to.have.length(0);
  });

  it('tells once when the script puts the charge of a paid QR in the form, and not for other fields', async () => {
    HTMLFormElement.prototype.submit = () => undefined;
    const parent = host();
    const recorder = into(parent);
    const qrForm = await mountCardForm(
      params({ attributes: { ...cardAttributes(), 'payment-methods': 'qr', 'order-id': 'order_test_1' } }),
      recorder,
    );
    qrForm.show();
    const note = document.createElement('input');
    note.name = 'note';
    qrForm.form.append(note);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(recorder.submits).to.equal(0);
    fakeKPayment().pay({ chargeId: 'chrg_test_qr1' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect([recorder.submits, recorder.closes]).to.deep.equal([1, 0]);
    qrForm.remove();
  });
});
