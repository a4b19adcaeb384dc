/**
 * INV-1 and INV-2 in a real browser, as a property: for any strings (fast-check, full code
 * points including lone surrogates), island props and the title arrive in the browser exactly,
 * and the page has the same elements as the benign page. Advisory classes: SvelteKit #721/#2596
 * (props breakout), unhead #97 (title), W3C bug 23587 (<!-- <script> swallowing a script).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import fc from 'fast-check';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { launchBrowser } from '../helpers/browser.js';
import { litComponent, startApp, writeApp } from '../helpers/write-app.js';

let browser: Browser;
let server: FastifyInstance;
let base: string;
let page: Page;

/** The strings travel base64url-encoded in the query, so that any code unit can be sent. */
const root = writeApp({
  'app.config.json': { routes: [{ id: 'p', path: '/', contentTemplate: 'p.html' }] },
  'p.html': '<p-island hydrate></p-island>',
  'components/p-island.ts': litComponent('p-island', {
    properties: 'values: { attribute: false }',
    render: '<i>${(this.values ?? []).length}</i>',
    extra: `export const getServerData = ({ query }) => {
      const values = JSON.parse(Buffer.from(query.v ?? 'W10', 'base64url').toString('utf8'));
      return { props: { values, keyed: Object.fromEntries(values.map((v, i) => [v, i])) }, markup: { title: values.join('|'), meta: values.map((v, i) => ({ name: 'm' + i, content: v })) } };
    };`,
  }),
});

beforeAll(async () => {
  ({ server } = await startApp(root));
  base = await server.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchBrowser();
  page = await browser.newPage();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const visit = async (values: string[]) => {
  // JSON in UTF-8 cannot carry lone surrogates, so they are sent escaped: JSON.stringify does that.
  const v = Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
  const response = await page.goto(`${base}/?v=${v}`);
  // The status first: a page that is not this route's (a 503, an error page) says so here.
  expect(response?.status()).toBe(200);
  await page.waitForFunction(() => !document.querySelector('p-island')!.hasAttribute('defer-hydration'));
  return page.evaluate(() => {
    const island = document.querySelector('p-island') as unknown as { values: string[]; keyed: Record<string, number> };
    const tags = [...document.querySelectorAll('*')].map((e) => e.localName).join(',');
    const metas = [...document.querySelectorAll('meta[name^="m"]')].map((m) => m.getAttribute('content'));
    return {
      values: island.values,
      keyed: Object.entries(island.keyed),
      polluted: Object.keys(Object.prototype),
      title: document.querySelector('title')!.textContent,
      tags,
      metas,
      sentinel: (window as unknown as { __xss?: unknown }).__xss,
    };
  });
};

test('any strings: props, keys, title and meta arrive unchanged; no element is added; nothing runs', async () => {
  const benign = await visit(['a', 'b']);
  const hostile = fc.constantFrom(
    '</script><script>window.__xss=1</script>',
    '<!--<script>',
    '</title><img src=x onerror=window.__xss=2>',
    '"\'><b>',
    '\u2028\u2029',
    '&amp;&lt;',
    '\ud800',
    '\u0000',
  );
  await fc.assert(
    fc.asyncProperty(fc.tuple(fc.oneof(hostile, fc.string({ unit: 'binary' })), fc.oneof(hostile, fc.string({ unit: 'binary' }))), async ([a, b]) => {
      fc.pre(a !== b);
      const seen = await visit([a, b]);
      expect(seen.values).toEqual([a, b]);
      // As entries: an own "__proto__" key must survive as data (and not become a prototype).
      // Sorted, because JavaScript orders integer-like keys ("1" before "a") whatever the insertion order.
      const byKey = (entries: [string, unknown][]) => [...entries].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
      expect(byKey(seen.keyed)).toEqual(
        byKey([
          [a, 0],
          [b, 1],
        ]),
      );
      expect(seen.polluted).toEqual([]);
      expect(seen.tags).toBe(benign.tags);
      expect(seen.sentinel).toBeUndefined();
      // What HTML text can hold: a lone surrogate has no UTF-8 form (U+FFFD), the parser turns NUL
      // into U+FFFD and folds CR/LF. Props JSON keeps all of them.
      const asText = (s: string) =>
        s
          .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
          .replace(/\u0000/g, '\ufffd')
          .replace(/\r\n?/g, '\n');
      expect(seen.metas).toEqual([asText(a), asText(b)]);
      expect(seen.title).toBe(asText(`${a}|${b}`));
    }),
    { numRuns: 40 },
  );
});
