import { expect } from '@open-wc/testing';
import { CATALOG } from '@payment-checkout/core/catalog';
import { gatewayEntry, gatewayIds } from './index.ts';

/** The listing of the gateways, and the contract every starter in it keeps. */

describe('gateways', () => {
  it('lists a starter for every gateway of the catalog, and nothing for an id it does not know', () => {
    expect([...new Set(CATALOG.map((m) => m.gateway))].filter((gateway) => !gatewayEntry(gateway))).to.deep.equal([]);
    for (const id of ['stripe', 'constructor', '__proto__', 'toString']) expect(gatewayEntry(id), id).to.equal(undefined);
  });

  for (const id of gatewayIds()) {
    it(`${id}: loads a starter whose steps are functions`, async () => {
      const entry = gatewayEntry(id)!;
      const starter = await entry.load();
      expect(starter.prepare ?? starter.start, 'a starter does something').to.be.a('function');
      if (starter.prepare) expect(starter.prepare).to.be.a('function');
      if (starter.start) expect(starter.start).to.be.a('function');
      // Loading twice gives the same module (it is loaded once per page).
      expect(await entry.load()).to.equal(starter);
    });
  }
});
