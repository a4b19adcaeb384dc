import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { startApp, writeApp } from '../helpers/write-app.js';
import { collectHtml, htmlText, surround } from '../../src/render/collect-html.js';
import { decodeFragment, encodeFragment } from '../../src/cache/shared-fragments.js';

/**
 * A page that reuses stored fragments is assembled from bytes: the fragment's shadow root is
 * kept UTF-8 encoded and copied into the page (render/collect-html.ts). The bytes must be the
 * ones a fresh render sends, for text beyond ASCII, for pages sent whole, streamed, and filled
 * in by deferred roots. The page cache is off: every request assembles its page.
 * globalThis.__fb counts hook calls and renders per tag.
 */
interface Probe {
  calls: string[];
  renders: string[];
}
const probe = (): Probe => (globalThis as { __fb?: Probe }).__fb!;
/** Text a one-byte string cannot hold, an astral character, and markup that must stay escaped. */
const WIDE = 'Crème brûlée – 😀 </template><script>alert(1)</script>';
const component = (tag: string, hook: string, render: string) => `import { LitElement, html } from 'lit';
globalThis.__fb ??= { calls: [], renders: [] };
export class C extends LitElement {
  static properties = { text: {}, rows: { type: Number } };
  render() { globalThis.__fb.renders.push('${tag}'); return ${render}; }
}
customElements.define('${tag}', C);
export const getServerData = (context) => { globalThis.__fb.calls.push('${tag}'); ${hook} };
`;

const folder = writeApp({
  'app.config.json': {
    pageCache: { enabled: false },
    routes: [
      { id: 'whole', path: '/whole', contentTemplate: 'whole.html', layoutTemplate: 'layout.html' },
      { id: 'large', path: '/large', contentTemplate: 'large.html', layoutTemplate: 'layout.html' },
      { id: 'deferred', path: '/deferred', contentTemplate: 'deferred.html', layoutTemplate: 'layout.html' },
    ],
  },
  'layout.html': '<!doctype html><html lang="fr"><head><title>Carte – Café</title></head><body>{{{ body }}}</body></html>',
  'whole.html': '<fb-who></fb-who><fb-menu hydrate></fb-menu><p>fin – ça va</p>',
  'large.html': '<fb-who></fb-who><fb-menu rows="400"></fb-menu>',
  'deferred.html': '<fb-who></fb-who><fb-menu defer hydrate><p slot="fallback">…</p></fb-menu>',
  'components/fb-who.ts': component('fb-who', "return { props: { text: context.headers.cookie ?? 'guest' } };", 'html`<p>Bonjour ${this.text}</p>`'),
  'components/fb-menu.ts': component(
    'fb-menu',
    `return { props: { text: ${JSON.stringify(WIDE)} }, cache: { ttl: 60 } };`,
    'html`<ul>${Array.from({ length: this.rows ?? 1 }, (_, i) => html`<li>${i} ${this.text}</li>`)}</ul>`',
  ),
});

let app: FastifyInstance;
beforeAll(async () => {
  // Pages that rendered 2,000 characters or more stream when the page cache cannot keep them.
  ({ server: app } = await startApp(folder, { streamMinChars: 2000 }));
});
afterAll(async () => {
  await app.close();
});
beforeEach(() => {
  Object.assign(probe() ?? {}, { calls: [], renders: [] });
});

const get = async (url: string, cookie: string) => {
  const response = await app.inject({ url, headers: { cookie } });
  expect(response.statusCode, url).toBe(200);
  return response;
};
const count = (list: string[], tag: string) => list.filter((t) => t === tag).length;

test('a page reusing a fragment sends the bytes of a fresh render, with its Content-Length', async () => {
  const fresh = await get('/whole', 'ann');
  const reused = await get('/whole', 'ann');
  expect([count(probe().calls, 'fb-menu'), count(probe().renders, 'fb-menu')]).toEqual([1, 1]);
  expect(count(probe().renders, 'fb-who')).toBe(2);
  expect(reused.rawPayload.equals(fresh.rawPayload)).toBe(true);
  expect(Number(reused.headers['content-length'])).toBe(reused.rawPayload.length);
  const text = reused.rawPayload.toString('utf8');
  expect(text).toContain('<title>Carte – Café</title>');
  expect(text).toContain('Crème brûlée – 😀 &lt;/template&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  expect(text).not.toContain('<script>alert(1)');
  // The personal root around it is rendered for each request.
  expect((await get('/whole', 'zoé')).rawPayload.toString('utf8')).toBe(text.replace('Bonjour <!--lit-part-->ann', 'Bonjour <!--lit-part-->zoé'));
});

test('a streamed page reusing a fragment sends the bytes of a fresh render', async () => {
  const fresh = await get('/large', 'ann');
  const streamed = await get('/large', 'ann');
  expect(count(probe().renders, 'fb-menu')).toBe(1);
  // The first render found the page large: the second one streams.
  expect(fresh.headers['content-length']).toBeDefined();
  expect(streamed.headers['content-length']).toBeUndefined();
  expect(streamed.headers['transfer-encoding']).toBe('chunked');
  expect(streamed.rawPayload.equals(fresh.rawPayload)).toBe(true);
});

test("a deferred root's fill from a fragment keeps its text beyond ASCII", async () => {
  const fresh = await get('/deferred', 'ann');
  const reused = await get('/deferred', 'ann');
  expect(count(probe().renders, 'fb-menu')).toBe(1);
  expect(reused.rawPayload.equals(fresh.rawPayload)).toBe(true);
  expect(reused.rawPayload.toString('utf8')).toContain('<template data-atoll-fill="1">');
  expect(reused.rawPayload.toString('utf8')).toContain('Crème brûlée – 😀 &lt;/template&gt;');
});

test('collectHtml keeps strings, thunks, nested arrays, promises and bytes in order; surround joins them once', async () => {
  const parts = ['<a>', () => ['é', [Buffer.from('–😀', 'utf8'), () => undefined]], Promise.resolve(['<b>', () => Promise.resolve('ç')]), Buffer.from('</b>', 'utf8')];
  const collected = await collectHtml(parts);
  // Runs of text stay text, bytes stay bytes: the page joins them once (surround).
  expect(collected).toEqual(['<a>é', Buffer.from('–😀', 'utf8'), '<b>ç', Buffer.from('</b>', 'utf8')]);
  const page = surround('<!doctype html>«', collected, '» 😀\n');
  expect(Buffer.isBuffer(page)).toBe(true);
  expect(page.toString('utf8')).toBe('<!doctype html>«<a>é–😀<b>ç</b>» 😀\n');
  expect(page.length).toBe(Buffer.byteLength('<!doctype html>«<a>é–😀<b>ç</b>» 😀\n'));
  expect(htmlText(collected)).toBe('<a>é–😀<b>ç</b>');
  expect(await collectHtml(['<a>', () => ['é'], Promise.resolve('</a>')])).toBe('<a>é</a>');
  await expect(collectHtml([42])).rejects.toThrow(/Unexpected value in a Lit RenderResult: 42 \(number\)/);
});

test("a fragment's bytes survive the shared tier's encoding (Redis holds JSON text)", () => {
  const shadow = Buffer.from(`<p>${WIDE.replaceAll('<', '&lt;')}</p>`, 'utf8');
  const fragment = {
    data: { result: { props: {} }, ttl: 60, tags: [], deps: [], readsHeaders: false, outdated: false },
    html: { attributes: ' a="é"', shadow },
    storedAt: 1,
    ttl: 60,
    size: 1,
    path: '/x',
  };
  const decoded = decodeFragment(encodeFragment(fragment, 'build-1'), 'build-1');
  expect(decoded?.html?.attributes).toBe(' a="é"');
  expect(decoded?.html?.shadow.equals(shadow)).toBe(true);
});
