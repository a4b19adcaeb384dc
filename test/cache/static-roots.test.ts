import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { startApp, writeApp } from '../helpers/write-app.js';

/**
 * Roots without getServerData render from their template attributes alone, so with the
 * fragment cache on each one is rendered once per locale and its HTML reused on every request
 * of a personal page (src/cache/static-roots.ts). The components count their renders in
 * globalThis.__static; <s-flaky> throws while `boom` is set.
 */
interface Probe {
  renders: string[];
  boom: boolean;
}
const probe = (): Probe => (globalThis as { __static?: Probe }).__static!;
const counter = `globalThis.__static ??= { renders: [], boom: false };`;

const root = writeApp({
  'app.config.json': {
    i18n: { defaultLocale: 'en-US', locales: ['en-US', 'fr'] },
    routes: [
      { id: 'page', path: '/', contentTemplate: 'page.html' },
      { id: 'flaky', path: '/flaky', contentTemplate: 'flaky.html' },
    ],
  },
  'page.html': '<s-static label="top"></s-static><s-static label="island" hydrate></s-static><s-clock></s-clock><s-me></s-me>',
  'flaky.html': '<s-flaky><p slot="fallback">later</p></s-flaky><s-me></s-me>',
  'components/s-static.ts': `import { LitElement, html } from 'lit';
${counter}
export class C extends LitElement {
  static properties = { label: {} };
  render() { globalThis.__static.renders.push('static ' + this.label); return html\`<b>\${this.label}</b>\`; }
}
customElements.define('s-static', C);`,
  'components/s-clock.ts': `import { LitElement, html } from 'lit';
${counter}
export class C extends LitElement {
  render() { globalThis.__static.renders.push('clock'); return html\`<i>\${globalThis.__static.renders.length}</i>\`; }
}
customElements.define('s-clock', C);
export const renderEveryRequest = true;`,
  'components/s-flaky.ts': `import { LitElement, html } from 'lit';
${counter}
export class C extends LitElement {
  render() {
    globalThis.__static.renders.push('flaky');
    if (globalThis.__static.boom) throw new Error('flaky render');
    return html\`<u>ok</u>\`;
  }
}
customElements.define('s-flaky', C);`,
  'components/s-me.ts': `import { LitElement, html } from 'lit';
export class C extends LitElement {
  static properties = { name: {} };
  render() { return html\`<p>hi \${this.name}</p>\`; }
}
customElements.define('s-me', C);
export const getServerData = ({ cookies }) => ({ props: { name: cookies.name ?? 'guest' } });`,
});

let server: FastifyInstance;
let plain: FastifyInstance;
const get = (app: FastifyInstance, url: string, headers: Record<string, string> = {}) => app.inject({ url, headers: { 'accept-language': 'en-US', ...headers } });

beforeAll(async () => {
  ({ server } = await startApp(root));
  ({ server: plain } = await startApp(root, { withoutFragmentCache: true }));
});
afterAll(async () => {
  await server.close();
  await plain.close();
});
beforeEach(() => {
  probe().renders.length = 0;
  probe().boom = false;
});

const count = (what: string) => probe().renders.filter((r) => r === what).length;

test('a root without a hook renders once per locale; the personal root and renderEveryRequest render on every request', async () => {
  const bodies = [];
  for (const name of ['Ada', 'Grace', 'Ada']) bodies.push((await get(server, '/', { cookie: `name=${name}` })).body);
  expect(bodies[1]).toContain('hi <!--lit-part-->Grace<!--/lit-part-->');
  expect(count('static top')).toBe(1);
  expect(count('static island')).toBe(1);
  expect(count('clock')).toBe(3);
  probe().renders.length = 0;
  for (let i = 0; i < 2; i++) await get(server, '/', { 'accept-language': 'fr' });
  expect(count('static top')).toBe(1);
  expect(count('static island')).toBe(1);
  probe().renders.length = 0;
  await get(server, '/', { 'accept-language': 'fr' });
  await get(server, '/');
  expect(count('static top')).toBe(0);
});

test('pages with reused roots are the bytes of pages rendered without the fragment cache, island attributes included', async () => {
  const requests: Record<string, string>[] = [{ cookie: 'name=Ada' }, { 'accept-language': 'fr' }];
  for (const headers of requests) {
    const expected = (await get(plain, '/', headers)).body.replace(/<i>.*?<\/i>/, '');
    expect(expected).toContain('label="island" hydrate data-atoll-island="1" defer-hydration');
    for (let i = 0; i < 3; i++) expect((await get(server, '/', headers)).body.replace(/<i>.*?<\/i>/, '')).toBe(expected);
  }
});

test('a render that failed is not kept: the next request renders the root again', async () => {
  probe().boom = true;
  const failed = await get(server, '/flaky');
  expect(failed.statusCode).toBe(200);
  expect(failed.body).toContain('<p slot="fallback">later</p>');
  probe().boom = false;
  const first = await get(server, '/flaky');
  expect(first.body).toContain('<u>ok</u>');
  const second = await get(server, '/flaky');
  expect(second.body).toBe(first.body);
  expect(count('flaky')).toBe(2);
});

test('without the fragment cache every root renders on every request', async () => {
  for (let i = 0; i < 3; i++) await get(plain, '/');
  expect(count('static top')).toBe(3);
});
