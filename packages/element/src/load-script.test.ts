import { expect } from '@open-wc/testing';
import { loadScript, ScriptLoadError } from './load-script.ts';
import { FAKE_OMISE_URL } from '../test/support/fake-scripts.ts';

const tags = (src: string) => document.querySelectorAll(`script[src="${src}"]`).length;

describe('loadScript', () => {
  it('adds a script once however many callers ask at the same time', async () => {
    const url = `${FAKE_OMISE_URL}?concurrent`;
    const before = window.fakeOmise?.loads ?? 0;
    await Promise.all([loadScript(url), loadScript(url), loadScript(url)]);
    await loadScript(url);
    expect(tags(url)).to.equal(1);
    expect(window.fakeOmise?.loads).to.equal(before + 1);
    expect(typeof window.Omise?.createSource).to.equal('function');
  });

  it('resolves relative URLs against the page, so one script is one load', async () => {
    const absolute = `${FAKE_OMISE_URL}?relative`;
    const relative = new URL(absolute).pathname + '?relative';
    await Promise.all([loadScript(absolute), loadScript(relative)]);
    expect(tags(absolute)).to.equal(1);
  });

  it('rejects when the script fails, and tries again on the next call', async () => {
    const url = new URL('./missing-script.js', FAKE_OMISE_URL).href;
    const first = await loadScript(url).catch((error: unknown) => error);
    expect(first).to.be.instanceOf(ScriptLoadError);
    expect((first as ScriptLoadError).url).to.equal(url);
    expect(tags(url)).to.equal(0);

    const again = loadScript(url);
    expect(tags(url)).to.equal(1);
    expect(await again.catch((error: unknown) => error)).to.be.instanceOf(ScriptLoadError);
  });
});
