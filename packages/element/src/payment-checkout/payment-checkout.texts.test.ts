import { expect } from '@open-wc/testing';
import { action, amountText, buttonsIn, clean, legends, root, statusText, switchLocale } from '../../test/support/checkout-dom.ts';
import { mountCheckout, mountPayment, serve, stopServing } from '../../test/support/checkout-fixture.ts';
import { deferred, ENDPOINT, type Reply, until } from '../../test/support/fake-companion.ts';
import { okConfig, paymentView, thb } from '../../test/support/fixtures.ts';
import '../define.ts';

/**
 * What the shopper reads comes from the companion (docs/decisions.md C21): with the config, or alone at
 * `GET /checkout/texts` on a return page and after a change of language. Before they arrive, and when the companion
 * cannot be reached at all, the element says its own few words in the shopper's language.
 */

afterEach(() => {
  stopServing();
});

const lang = (el: HTMLElement) => el.shadowRoot?.querySelector('[part~="base"]')?.getAttribute('lang');

describe('<payment-checkout> texts', () => {
  it('takes its texts from the config, without asking for them apart', async () => {
    const fake = serve({ config: okConfig(thb()) });
    const { el } = await mountCheckout({ locale: 'th' });
    expect(legends(el)).to.deep.equal(['โมบายแบงก์กิ้ง', 'วอลเล็ต']);
    expect(fake.count('config')).to.equal(1);
    expect(fake.count('texts')).to.equal(0);
  });

  it('speaks Japanese with locale="ja": the companion\'s texts, the amount as Japan writes it, and its own words before them', async () => {
    const fake = serve({ config: okConfig(thb()) });
    const { el } = await mountCheckout({ locale: 'ja' });
    expect(lang(el)).to.equal('ja');
    expect(clean(root(el).querySelector('[part~="amount"]')?.textContent)).to.equal('お支払い金額 ฿1,500.00');
    expect(clean(root(el).querySelector('[part~="prompt"]')?.textContent)).to.equal('お支払い方法を選択してください');
    expect(legends(el)).to.deep.equal(['モバイルバンキング', '電子ウォレット']);
    expect(buttonsIn(el, 'mobile_banking')).to.deep.equal(['KBank K PLUS', 'Krungsri KMA']);
    expect(fake.requests[0].url.searchParams.get('locale')).to.equal('ja');
    await expect(el).to.be.accessible();

    // A return page: the element's own Japanese while the texts are on their way, then the companion's.
    const held = deferred<Reply>();
    stopServing();
    serve({ payment: () => ({ body: paymentView({ status: 'succeeded' }) }), texts: () => held.promise });
    const result = await mountPayment({ locale: 'ja' });
    await until(() => statusText(result) === '読み込み中…', 'loading, in Japanese');
    held.resolve(await defaultTexts('ja'));
    await until(() => statusText(result) === 'お支払いが完了しました', 'paid, in Japanese');
    expect(clean(root(result).querySelector('[part~="summary"]')?.textContent)).to.equal('฿1,500.00（KBank K PLUS）');
  });

  it('follows the browser\'s languages when neither the attribute nor the page names one it speaks', async () => {
    serve({ config: okConfig(thb()) });
    const before = document.documentElement.lang;
    const languages = Object.getOwnPropertyDescriptor(Navigator.prototype, 'languages')!;
    document.documentElement.lang = 'de';
    Object.defineProperty(navigator, 'languages', { configurable: true, get: () => ['fr-FR', 'ja-JP', 'en-US'] });
    try {
      const { el } = await mountCheckout({ locale: 'es' });
      expect(lang(el)).to.equal('ja');
      expect(amountText(el)).to.equal('฿1,500.00');
      expect(legends(el)).to.deep.equal(['モバイルバンキング', '電子ウォレット']);
    } finally {
      delete (navigator as { languages?: unknown }).languages;
      Object.defineProperty(Navigator.prototype, 'languages', languages);
      document.documentElement.lang = before;
    }
  });

  it('asks for the texts of a new language once, keeps the old ones until they arrive, and keeps both', async () => {
    const held = deferred<Reply>();
    let holding = true;
    const fake = serve({ config: okConfig(thb()), texts: async (locale) => (holding ? held.promise : defaultTexts(locale)) });
    const { el } = await mountCheckout();
    el.locale = 'th';
    await until(() => fake.count('texts') === 1, 'Thai asked for');
    await el.updateComplete;
    // Still English, whole, until the Thai texts arrive.
    expect([lang(el), legends(el)]).to.deep.equal(['en', ['Mobile banking', 'Wallets']]);
    holding = false;
    held.resolve(await defaultTexts('th'));
    await until(() => lang(el) === 'th', 'Thai shown');
    expect(legends(el)).to.deep.equal(['โมบายแบงก์กิ้ง', 'วอลเล็ต']);
    expect(fake.textsRequests.map((r) => r.url.href)).to.deep.equal([`${ENDPOINT}/checkout/texts?locale=th`]);

    // Back to English, then Thai again: both are known, nothing is asked.
    await switchLocale(el, 'en');
    await switchLocale(el, 'th');
    expect(fake.count('texts')).to.equal(1);
  });

  it('on a return page, reads the payment and the texts side by side, saying "Loading…" meanwhile', async () => {
    const held = deferred<Reply>();
    const fake = serve({ payment: () => ({ body: paymentView({ status: 'succeeded' }) }), texts: () => held.promise });
    const el = await mountPayment({ locale: 'th' });
    await until(() => fake.count('payment') === 1 && fake.count('texts') === 1, 'both asked for');
    expect(statusText(el)).to.equal('กำลังโหลด…');
    held.resolve(await defaultTexts('th'));
    await until(() => statusText(el) === 'ชำระเงินสำเร็จ', 'paid, in Thai');
    expect(fake.textsRequests[0].url.search).to.equal('?locale=th');
  });

  it("says in the shopper's language that the companion cannot be reached, and tries again on request", async () => {
    let reachable = false;
    const fake = serve({
      payment: () => (reachable ? { body: paymentView({ status: 'succeeded' }) } : 'network-error'),
      texts: (locale) => (reachable ? defaultTexts(locale) : 'network-error'),
    });
    const el = await mountPayment({ locale: 'th' });
    await until(() => action(el, 'retry') !== null, 'the retry');
    expect(statusText(el)).to.equal('ไม่สามารถเชื่อมต่อบริการชำระเงินได้');
    expect(action(el, 'retry')?.textContent?.trim()).to.equal('ลองอีกครั้ง');
    await expect(el).to.be.accessible();
    // A failed request is not repeated by itself: only "Try again" asks again.
    const asked = fake.count('texts');
    await el.updateComplete;
    expect(fake.count('texts')).to.equal(asked);

    reachable = true;
    action(el, 'retry')!.click();
    await until(() => statusText(el) === 'ชำระเงินสำเร็จ', 'paid, in Thai');
    expect(root(el).querySelector('[part~="summary"]')?.textContent?.trim()).to.equal('฿1,500.00 ผ่าน K PLUS ธนาคารกสิกรไทย');
  });
});

/** The companion's texts in `locale`, as the fake companion answers by default. */
async function defaultTexts(locale: string | null): Promise<Reply> {
  const { checkoutTexts } = await import('@payment-checkout/core/texts');
  const { Locale } = await import('@payment-checkout/core/locale');
  return { body: checkoutTexts(Locale.safeParse(locale).data ?? 'en') };
}
