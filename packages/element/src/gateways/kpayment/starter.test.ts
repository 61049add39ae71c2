import { expect } from '@open-wc/testing';
import { fakeKPayment } from '../../../test/support/fake-scripts.ts';
import { cardAttributes, kpaymentNext, qrNext, withKPayment } from '../../../test/support/fixtures.ts';
import type { ScriptFormAction, StarterHost } from '../starter.ts';
import { starter } from './starter.ts';

/** K-Payment's starter on its own: nothing to prepare; a card form or QR code mounted through the host and opened. */

const context = { config: withKPayment(), platform: null };
const nextOf = (created: { next: unknown }) => created.next as ScriptFormAction;

function host(): StarterHost & { parent: HTMLElement; closes: number } {
  const parent = document.createElement('div');
  document.body.append(parent);
  const recorder = {
    parent,
    closes: 0,
    mount: (form: HTMLFormElement) => parent.append(form),
    onClose: () => void recorder.closes++,
    onSubmit: () => undefined,
  };
  return recorder;
}

describe('K-Payment starter', () => {
  it('has nothing to prepare: the companion computes the script attributes from the order', () => {
    expect(starter.prepare).to.equal(undefined);
  });

  it("mounts the card form through the host, opens it, and says whether it offers SmartPay's terms", async () => {
    for (const [attributes, installments] of [
      [cardAttributes(), false],
      [cardAttributes({ 'smartpay-id': '0001' }), true],
      [cardAttributes({ 'plan-id': '999' }), true],
    ] as const) {
      const to = host();
      const form = await starter.start!(nextOf(kpaymentNext({ attributes })), to, context);
      expect(form.installments).to.equal(installments);
      expect(to.parent.querySelectorAll('form > script')).to.have.length(1);
      form.show();
      expect(fakeKPayment().isOpen()).to.equal(true);
      fakeKPayment().close();
      expect([to.closes, to.parent.children.length]).to.deep.equal([1, 0]);
      to.parent.remove();
    }
  });

  it('mounts a QR code the same way, never with instalment terms', async () => {
    const to = host();
    const form = await starter.start!(nextOf(qrNext('thai_qr', { attributes: cardAttributes({ 'payment-methods': 'qr', 'smartpay-id': '0001' }) })), to, context);
    expect(form.installments).to.equal(false);
    form.show();
    form.remove();
    expect([to.closes, to.parent.children.length]).to.deep.equal([0, 0]);
    to.parent.remove();
  });
});
