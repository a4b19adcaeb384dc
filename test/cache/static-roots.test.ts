import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { startApp, writeApp, type LogLine } from '../helpers/write-app.js';

/**
 * Roots without getServerData render from their template attributes alone, so with the
 * fragment cache on (and in development) each one is rendered once per locale and its HTML
 * reused on every request of a personal page (src/cache/static-roots.ts). The components count
 * their renders in globalThis.__static; `boom` makes <s-flaky> and <s-shaky> throw. Each test
 * has its own route: the stored HTML belongs to a template's roots, so no test sees another's.
 */
interface Probe {
  renders: string[];
  boom: boolean;
}
const probe = (): Probe => (globalThis as { __static?: Probe }).__static!;
const counter = `globalThis.__static ??= { renders: [], boom: false };`;
const component = (tag: string, body: string, extra = '') => `import { LitElement, html } from 'lit';
${counter}
export class C extends LitElement {
${body}
}
customElements.define('${tag}', C);
${extra}`;

const route = (id: string) => ({ id, path: `/${id}`, contentTemplate: `${id}.html` });
const root = writeApp({
  'app.config.json': {
    i18n: { defaultLocale: 'en-US', locales: ['en-US', 'fr'] },
    routes: ['once', 'bytes', 'flaky', 'nested', 'light', 'shaky', 'plain', 'dev'].map(route),
  },
  'once.html':
    '<s-static label="top"></s-static><s-static label="island" hydrate></s-static><s-static label="browser" hydrate="client-only"></s-static><s-clock></s-clock><s-me></s-me>',
  'bytes.html': '<s-static label="a"></s-static><s-static label="b" hydrate></s-static><s-me></s-me>',
  'flaky.html': '<s-flaky><p slot="fallback">later</p></s-flaky><s-me></s-me>',
  'nested.html': '<s-outer></s-outer>',
  'light.html': '<s-light></s-light>',
  'shaky.html': '<s-wrap></s-wrap>',
  'plain.html': '<s-static label="plain"></s-static>',
  'dev.html': '<s-static label="dev"></s-static>',
  'components/s-static.ts': component(
    's-static',
    `  static properties = { label: {} };
  render() { globalThis.__static.renders.push('static ' + this.label); return html\`<b>\${this.label}</b>\`; }`,
  ),
  'components/s-clock.ts': component(
    's-clock',
    `  render() { globalThis.__static.renders.push('clock'); return html\`<i>\${globalThis.__static.renders.length}</i>\`; }`,
    'export const renderEveryRequest = true;',
  ),
  'components/s-flaky.ts': component(
    's-flaky',
    `  render() {
    globalThis.__static.renders.push('flaky');
    if (globalThis.__static.boom) throw new Error('flaky render');
    return html\`<u>ok</u>\`;
  }`,
  ),
  // Nested inside a root without a hook: one that renders every request, one that reads its light DOM, one that may throw.
  'components/s-tick.ts': component(
    's-tick',
    `  render() { globalThis.__static.renders.push('tick'); return html\`<i>tick \${globalThis.__static.renders.length}</i>\`; }`,
    'export const renderEveryRequest = true;',
  ),
  'components/s-outer.ts': component('s-outer', `  render() { globalThis.__static.renders.push('outer'); return html\`<s-tick></s-tick>\`; }`),
  'components/s-reader.ts': component('s-reader', `  render() { return html\`<em>\${this.querySelector('span')?.textContent}</em><slot></slot>\`; }`),
  'components/s-light.ts': component('s-light', `  render() { globalThis.__static.renders.push('light'); return html\`<s-reader><span>read me</span></s-reader>\`; }`),
  'components/s-shaky.ts': component(
    's-shaky',
    `  render() {
    if (globalThis.__static.boom) throw new Error('shaky render');
    return html\`<s>steady</s>\`;
  }`,
  ),
  'components/s-wrap.ts': component('s-wrap', `  render() { globalThis.__static.renders.push('wrap'); return html\`<s-shaky></s-shaky>\`; }`),
  'components/s-me.ts': component(
    's-me',
    `  static properties = { name: {} };
  render() { return html\`<p>hi \${this.name}</p>\`; }`,
    "export const getServerData = ({ cookies }) => ({ props: { name: cookies.name ?? 'guest' } });",
  ),
});

let server: FastifyInstance;
let logs: LogLine[];
let plain: FastifyInstance;
let dev: FastifyInstance;
const get = (app: FastifyInstance, url: string, headers: Record<string, string> = {}) => app.inject({ url, headers: { 'accept-language': 'en-US', ...headers } });

beforeAll(async () => {
  ({ server, logs } = await startApp(root));
  ({ server: plain } = await startApp(root, { withoutFragmentCache: true }));
  ({ server: dev } = await startApp(root, { mode: 'development' }));
});
afterAll(async () => {
  await Promise.all([server.close(), plain.close(), dev.close()]);
});
beforeEach(() => {
  probe().renders.length = 0;
  probe().boom = false;
});

const count = (what: string) => probe().renders.filter((r) => r === what).length;

test('a root without a hook renders once per locale; the personal root, renderEveryRequest and client-only roots do not take part', async () => {
  const bodies = [];
  for (const name of ['Ada', 'Grace', 'Ada']) bodies.push((await get(server, '/once', { cookie: `name=${name}` })).body);
  expect(bodies[1]).toContain('hi <!--lit-part-->Grace<!--/lit-part-->');
  expect(count('static top')).toBe(1);
  expect(count('static island')).toBe(1);
  expect(count('static browser')).toBe(0);
  // Left to the browser, unrendered, on every request.
  expect(bodies[2]).toContain('label="browser" hydrate="client-only" data-atoll-island="2"></s-static>');
  expect(count('clock')).toBe(3);
  probe().renders.length = 0;
  for (let i = 0; i < 2; i++) await get(server, '/once', { 'accept-language': 'fr' });
  expect(count('static top')).toBe(1);
  expect(count('static island')).toBe(1);
  probe().renders.length = 0;
  await get(server, '/once', { 'accept-language': 'fr' });
  await get(server, '/once');
  expect(count('static top')).toBe(0);
});

test('pages with reused roots are the bytes of pages rendered without the fragment cache, island attributes included', async () => {
  const requests: Record<string, string>[] = [{ cookie: 'name=Ada' }, { 'accept-language': 'fr' }];
  for (const headers of requests) {
    const expected = (await get(plain, '/bytes', headers)).body;
    expect(expected).toContain('label="b" hydrate data-atoll-island="1" defer-hydration');
    for (let i = 0; i < 3; i++) expect((await get(server, '/bytes', headers)).body).toBe(expected);
  }
});

test('a root whose render threw shows its fallback, and the next request renders and keeps it', async () => {
  probe().boom = true;
  const failed = await get(server, '/flaky');
  expect(failed.statusCode).toBe(200);
  expect(failed.body).toContain('<p slot="fallback">later</p>');
  probe().boom = false;
  const first = await get(server, '/flaky');
  expect(first.body).toContain('<u>ok</u>');
  expect((await get(server, '/flaky')).body).toBe(first.body);
  expect(count('flaky')).toBe(2);
});

test('a root in which a renderEveryRequest component renders is rendered on every request', async () => {
  const bodies = [(await get(server, '/nested')).body, (await get(server, '/nested')).body];
  expect(count('outer')).toBe(2);
  expect(count('tick')).toBe(2);
  expect(bodies[0]).not.toBe(bodies[1]);
});

test('a nested element that reads its light DOM renders in the HTML that is kept, and it is reused', async () => {
  const warnings = logs.filter((l) => l['code'] === 'ATOLL_ELEMENT_RENDERED_IN_BROWSER').length;
  const expected = (await get(plain, '/light')).body;
  expect(expected).toContain('<em><!--lit-part-->read me<!--/lit-part--></em>');
  for (let i = 0; i < 3; i++) expect((await get(server, '/light')).body).toBe(expected);
  expect(count('light')).toBe(2); // once without the cache, once with it
  expect(logs.filter((l) => l['code'] === 'ATOLL_ELEMENT_RENDERED_IN_BROWSER').length).toBe(warnings);
});

test('HTML in which a nested element fell back is not kept: the next request renders the root again', async () => {
  probe().boom = true;
  expect((await get(server, '/shaky')).body).not.toContain('<s>steady</s>');
  probe().boom = false;
  const first = (await get(server, '/shaky')).body;
  expect(first).toContain('<s>steady</s>');
  expect((await get(server, '/shaky')).body).toBe(first);
  expect(count('wrap')).toBe(2);
});

test('without the fragment cache every root renders on every request; in development they render once, as in production', async () => {
  for (let i = 0; i < 3; i++) await get(plain, '/plain');
  expect(count('static plain')).toBe(3);
  for (let i = 0; i < 3; i++) await get(dev, '/dev');
  expect(count('static dev')).toBe(1);
});
