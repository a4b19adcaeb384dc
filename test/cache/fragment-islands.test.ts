import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { startApp, writeApp } from '../helpers/write-app.js';

/**
 * The fragment cache with the island-granular pages: deferred roots, failure-isolated roots and
 * the island id a stored fragment carries. The page cache is off, so every request assembles its
 * page. globalThis.__fi counts hook calls and renders per tag and steers the failures.
 */
interface Probe {
  calls: string[];
  renders: string[];
  hookFails: boolean;
  renderFails: boolean;
}
const probe = (): Probe => (globalThis as { __fi?: Probe }).__fi!;
const component = (tag: string, hook: string, render = `html\`<p>${tag}: \${this.text}</p>\``) => `import { LitElement, html } from 'lit';
globalThis.__fi ??= { calls: [], renders: [], hookFails: false, renderFails: false };
export class C extends LitElement {
  static properties = { text: {} };
  render() { globalThis.__fi.renders.push('${tag}'); return ${render}; }
}
customElements.define('${tag}', C);
export const getServerData = (context) => { globalThis.__fi.calls.push('${tag}'); ${hook} };
`;

const folder = writeApp({
  'app.config.json': {
    pageCache: { enabled: false },
    routes: [
      { id: 'deferred', path: '/deferred', contentTemplate: 'deferred.html' },
      { id: 'first', path: '/first', contentTemplate: 'first.html' },
      { id: 'second', path: '/second', contentTemplate: 'second.html' },
      { id: 'also-first', path: '/also-first', contentTemplate: 'also-first.html' },
      { id: 'isolated', path: '/isolated', contentTemplate: 'isolated.html' },
    ],
  },
  'deferred.html': '<fi-fast></fi-fast><fi-late defer><p slot="fallback">loading</p></fi-late>',
  'first.html': '<fi-shared hydrate></fi-shared>',
  'second.html': '<fi-fast></fi-fast><fi-shared hydrate></fi-shared>',
  'also-first.html': '<fi-shared hydrate></fi-shared><fi-fast></fi-fast>',
  'isolated.html': '<fi-flaky><p slot="fallback">try later</p></fi-flaky>',
  'components/fi-fast.ts': component('fi-fast', "return { props: { text: 'fast' } };"),
  'components/fi-late.ts': component('fi-late', "return { props: { text: 'late' }, cache: { ttl: 60 } };"),
  'components/fi-shared.ts': component('fi-shared', "return { props: { text: 'shared ' + context.url }, cache: { ttl: 60, key: 'all' } };"),
  'components/fi-flaky.ts': component(
    'fi-flaky',
    "if (globalThis.__fi.hookFails) throw new Error('backend down'); return { props: { text: 'ok' }, cache: { ttl: 60 } };",
    "(() => { if (globalThis.__fi.renderFails) throw new Error('render broke'); return html`<p>fi-flaky: ${this.text}</p>`; })()",
  ),
});

let app: FastifyInstance;
beforeAll(async () => {
  ({ server: app } = await startApp(folder));
});
afterAll(async () => {
  await app.close();
});
beforeEach(() => {
  Object.assign(probe() ?? {}, { calls: [], renders: [], hookFails: false, renderFails: false });
});

const get = async (url: string) => {
  const response = await app.inject({ url });
  expect(response.statusCode, url).toBe(200);
  return response.body;
};
const count = (list: string[], tag: string) => list.filter((t) => t === tag).length;

test("a deferred root's fill comes from the fragment cache: same bytes, its hook not called, its element not rendered", async () => {
  const first = await get('/deferred');
  expect(first).toContain('<template data-atoll-fill="1">');
  expect(first).toContain('fi-late: <!--lit-part-->late<');
  expect([count(probe().calls, 'fi-late'), count(probe().renders, 'fi-late')]).toEqual([1, 1]);
  const second = await get('/deferred');
  expect(second).toBe(first);
  expect([count(probe().calls, 'fi-late'), count(probe().renders, 'fi-late')]).toEqual([1, 1]);
  // The other root has no TTL: it runs every time.
  expect(count(probe().calls, 'fi-fast')).toBe(2);
});

test('a fragment under cache.key serves only roots with the same start tag: another island id renders its own', async () => {
  const first = await get('/first');
  expect(first).toMatch(/<fi-shared\s+hydrate data-atoll-island="0" defer-hydration>/);
  // The same start tag at the same index on another URL: the hook runs once there (its key is
  // known only from its answer), then the fragment under the key is used, render included.
  const renders = count(probe().renders, 'fi-shared');
  const alsoFirst = await get('/also-first');
  expect(count(probe().calls, 'fi-shared')).toBe(2);
  expect(count(probe().renders, 'fi-shared')).toBe(renders);
  expect(alsoFirst).toMatch(/<fi-shared\s+hydrate data-atoll-island="0" defer-hydration>/);
  expect(alsoFirst).toContain('fi-shared: <!--lit-part-->shared /first<');
  // Island 1 on /second: a fragment of island 0 would hydrate against the wrong props script.
  const second = await get('/second');
  expect(count(probe().calls, 'fi-shared')).toBe(3);
  expect(count(probe().renders, 'fi-shared')).toBe(renders + 1);
  expect(second).toMatch(/<fi-shared\s+hydrate data-atoll-island="1" defer-hydration>/);
  expect(second).not.toContain('data-atoll-island="0"');
  expect(second).toContain('<script type="application/json" data-atoll-props="1">{"text":"shared /second"}</script>');
  expect(await get('/second')).toBe(second);
  expect(count(probe().calls, 'fi-shared')).toBe(3);
});

test('a failure-isolated root: a failed hook or a failed render is never stored; the next request renders it whole and keeps that', async () => {
  probe().hookFails = true;
  expect(await get('/isolated')).toContain('<p slot="fallback">try later</p></fi-flaky>');
  probe().hookFails = false;
  probe().renderFails = true;
  // The hook succeeds (its data is kept), the render throws: the fallback, not stored as HTML.
  const fallenBack = await get('/isolated');
  expect(fallenBack).toContain('<slot name="fallback"></slot>');
  expect(count(probe().calls, 'fi-flaky')).toBe(2);
  probe().renderFails = false;
  const whole = await get('/isolated');
  expect(whole).toContain('fi-flaky: <!--lit-part-->ok<');
  expect(whole).not.toContain('<slot name="fallback"></slot>');
  // Data from the fragment kept by the second request: no third hook call.
  expect(count(probe().calls, 'fi-flaky')).toBe(2);
  const rendersBefore = count(probe().renders, 'fi-flaky');
  probe().renderFails = true;
  expect(await get('/isolated')).toBe(whole);
  expect(count(probe().renders, 'fi-flaky')).toBe(rendersBefore);
});
