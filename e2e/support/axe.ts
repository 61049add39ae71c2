import { AxeBuilder } from '@axe-core/playwright';
import { type Page, expect } from '@playwright/test';

/** The WCAG 2.1 A and AA rules, which include colour contrast (4.5:1 for normal text). */
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * axe finds nothing on the page as it is now: the whole document, or only inside `frame` (a selector of the
 * iframe a gateway's script opened over the shop's page). Each violation is listed with the elements it is on.
 */
export async function expectAccessible(page: Page, what: string, frame?: string): Promise<void> {
  let builder = new AxeBuilder({ page }).withTags(WCAG_AA);
  if (frame) builder = builder.include([frame, 'html']);
  const { violations } = await builder.analyze();
  const found = violations.map((v) => `${v.id} (${v.help}): ${v.nodes.map((n) => n.target.join(' › ')).join(', ')}`);
  expect(found, `axe on ${what}`).toEqual([]);
}
