import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * The README's examples are the files the consumer test runs (consumer/): each code block marked
 * `<!-- file: <path> -->` must be that file, word for word, so that what a reader copies is what was tested.
 */

const root = new URL('..', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
const blocks = [...readme.matchAll(/<!-- file: (\S+) -->\n```\w*\n([\s\S]*?)\n```/g)].map(([, path, code]) => ({ path, code }));

describe('the README’s examples', () => {
  it('shows the plain HTML shop and the React example', () => {
    expect(blocks.map((b) => b.path)).toEqual(['examples/plain-html/server.mjs', 'examples/plain-html/public/index.html', 'examples/plain-html/public/page.js', 'examples/react/App.tsx']);
  });

  it.each(blocks)('shows $path as it is', ({ path, code }) => {
    expect(code).toBe(readFileSync(new URL(path, root), 'utf8').replace(/\n$/, ''));
  });
});
