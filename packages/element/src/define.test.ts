import { expect } from '@open-wc/testing';

describe('define.ts', () => {
  it('is the only module that registers <payment-checkout>', async () => {
    const { PaymentCheckout } = await import('./index.ts');
    expect(customElements.get('payment-checkout')).to.equal(undefined);

    await import('./define.ts');
    expect(customElements.get('payment-checkout')).to.equal(PaymentCheckout);
    expect(document.createElement('payment-checkout')).to.be.instanceOf(PaymentCheckout);
  });
});
