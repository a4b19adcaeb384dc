import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, BrowserContextOptions, Route } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { launchBrowser } from '../helpers/browser.js';
import { litComponent, startApp, writeApp, type LogLine } from '../helpers/write-app.js';
import { release } from '../helpers/deferred-page.js';
import { FILL_SCRIPT_HASHES } from '../../src/client/fill-script.js';

/**
 * Deferred roots in Chromium. The deferred hook is held on a promise the test releases (the
 * server runs in this process), so "before the fill" and "after the fill" are states the test
 * makes; the runtime module can be held too, so the fill lands before or after the islands boot.
 */

/** Hostile strings by advisory class (as test/browser/props.test.ts), as props, text and attributes of a fill. */
const HOSTILE = [
  '</script><script>window.__xss = 1</script>',
  '</template><script>window.__xss = 2</script>',
  '<!--<script>window.__xss = 3</script>',
  '<img src=x onerror="window.__xss=4">',
  '"quotes" and \'apostrophes\' and `backticks`',
  '&amp; &lt; &#60; &#x3C;',
  'line\u2028separator\u2029paragraph',
  'emoji 😀 and 𝒳',
  '${"template"}',
  'atollFill()',
];
/** A template author's attribute value on the deferred root: kept on its placeholder and on the filled element. */
const HOSTILE_ATTRIBUTE = '"></template><script>window.__xss = 7</script><p data-atoll-fill="0">';
const escapeAttribute = (value: string) => value.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
const HOSTILE_HEAD = { title: '</title><script>window.__xss = 5</script>', meta: [{ name: 'x', content: '"><script>window.__xss = 6</script>' }] };

let browser: Browser;
let server: FastifyInstance;
let logs: LogLine[];
let base: string;
const root = writeApp({
  'app.config.json': {
    routes: [
      { id: 'cards', path: '/', contentTemplate: 'cards.html' },
      { id: 'csp', path: '/csp', contentTemplate: 'csp.html' },
      { id: 'interaction', path: '/interaction', contentTemplate: 'interaction.html' },
    ],
  },
  'cards.html': `<bd-counter hydrate></bd-counter><bd-card name="c" data-note="${escapeAttribute(HOSTILE_ATTRIBUTE)}" defer hydrate><p slot="fallback" id="fallback">Loading the card…</p><span id="light">light child</span></bd-card><footer id="foot">Foot</footer>`,
  'interaction.html': '<bd-card name="i" defer hydrate="interaction"><p slot="fallback" id="fallback">Loading…</p></bd-card>',
  'csp.html': '<bd-policy></bd-policy><bd-card name="p" defer><p slot="fallback" id="fallback">Loading…</p></bd-card>',
  'components/bd-counter.ts': litComponent('bd-counter', {
    properties: 'count: { type: Number }',
    render: '<button @click=${() => (this.count = (this.count ?? 0) + 1)}>Top ${this.count ?? 0}</button>',
  }),
  'components/bd-card.ts': litComponent('bd-card', {
    properties: 'text: {}, values: { attribute: false }, count: { type: Number }',
    styles: 'i { color: rgb(255, 0, 0); }',
    render:
      '<i>${this.text}</i><slot></slot><ul>${(this.values ?? []).map((v) => html`<li title=${v}>${v}</li>`)}</ul><button @click=${() => (this.count = (this.count ?? 0) + 1)}>Count: ${this.count ?? 0}</button>',
    extra: `export const getServerData = ({ props, query }) => globalThis.__streamGate(query.run + ':' + props.name);`,
  }),
  'components/bd-policy.ts': litComponent('bd-policy', {
    render: '<b>policy</b>',
    extra: `export const getServerData = ({ query }) => ({ headers: { 'content-security-policy': query.policy } });`,
  }),
});

beforeAll(async () => {
  browser = await launchBrowser();
  ({ server, logs } = await startApp(root));
  base = await server.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(options: BrowserContextOptions = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const errors: string[] = [];
  // Chromium asks for /favicon.ico, which this app does not have.
  page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  return { page, errors, close: () => context.close() };
}

/** What the page shows of the deferred card and the rest. */
const look = () => {
  const card = document.querySelector('bd-card')!;
  const visible = (selector: string) => document.querySelector(selector)?.checkVisibility() ?? false;
  const shadow = card.shadowRoot;
  const italic = shadow?.querySelector('i');
  return {
    open: document.readyState === 'loading',
    deferred: card.hasAttribute('data-atoll-deferred'),
    hydrated: !card.hasAttribute('defer-hydration'),
    fallback: visible('#fallback'),
    light: visible('#light'),
    lightSlotted: document.querySelector('#light')?.assignedSlot?.name ?? null,
    foot: visible('#foot'),
    text: italic?.textContent ?? null,
    color: italic === null || italic === undefined ? null : getComputedStyle(italic).color,
    fills: document.querySelectorAll('template[data-atoll-fill]').length,
    title: document.title,
    note: card.getAttribute('data-note'),
    xss: (window as unknown as { __xss?: unknown }).__xss ?? null,
  };
};

test('before release the fallback and the rest are shown; after it the card is in place, styled, slotted, hydrated; hostile values stay data', async () => {
  const { page, errors, close } = await open();
  await page.goto(`${base}/?run=ready`, { waitUntil: 'commit' });
  // The other island has booted: the fill below arrives after the runtime ran (FILL_EVENT path).
  await page.waitForFunction(() => document.querySelector('bd-counter')?.hasAttribute('defer-hydration') === false);
  expect(await page.evaluate(look)).toEqual({
    open: true,
    deferred: true,
    hydrated: false,
    fallback: true,
    light: false,
    lightSlotted: null,
    foot: true,
    text: null,
    color: null,
    fills: 0,
    title: 'cards',
    note: HOSTILE_ATTRIBUTE,
    xss: null,
  });

  release('ready:c', { props: { text: 'Card arrived', values: HOSTILE }, markup: HOSTILE_HEAD });
  await page.waitForLoadState('load');
  await page.waitForFunction(() => document.querySelector('bd-card')?.hasAttribute('defer-hydration') === false);
  expect(await page.evaluate(look)).toEqual({
    open: false,
    deferred: false,
    hydrated: true,
    fallback: false,
    light: true,
    lightSlotted: '',
    foot: true,
    text: 'Card arrived',
    color: 'rgb(255, 0, 0)',
    fills: 0,
    // A deferred root's head markup cannot reach <head>: it is logged, not used.
    title: 'cards',
    note: HOSTILE_ATTRIBUTE,
    xss: null,
  });
  const seen = await page.evaluate(() => {
    const card = document.querySelector('bd-card') as unknown as HTMLElement & { values: string[] };
    const items = [...card.shadowRoot!.querySelectorAll('li')];
    return {
      values: card.values,
      texts: items.map((li) => li.textContent),
      titles: items.map((li) => li.getAttribute('title')),
      metas: document.querySelectorAll('meta[name="x"]').length,
    };
  });
  expect(seen).toEqual({ values: HOSTILE, texts: HOSTILE, titles: HOSTILE, metas: 0 });
  // The filled island works, and so does the one that was there before.
  await page.locator('bd-card button').click();
  await page.waitForFunction(() => document.querySelector('bd-card')!.shadowRoot!.querySelector('button')!.textContent === 'Count: 1');
  await page.locator('bd-counter button').click();
  await page.waitForFunction(() => document.querySelector('bd-counter')!.shadowRoot!.querySelector('button')!.textContent === 'Top 1');
  expect(errors).toEqual([]);
  expect(logs.find((l) => l['code'] === 'ATOLL_DEFERRED_RESULT_IGNORED')).toMatchObject({ routeId: 'cards', tag: 'bd-card' });
  await close();
});

test('a fill that lands before the runtime boots hydrates when it boots', async () => {
  const { page, errors, close } = await open();
  let releaseRuntime!: () => void;
  const runtimeHeld = new Promise<void>((resolve) => (releaseRuntime = resolve));
  await page.route(/\/_atoll\/atoll-runtime-[A-Z0-9]{8}\.js$/, async (route: Route) => {
    await runtimeHeld;
    await route.continue();
  });
  await page.goto(`${base}/?run=early`, { waitUntil: 'commit' });
  await page.waitForSelector('#foot');
  release('early:c', { props: { text: 'Early card', values: ['a'] } });
  // In place with its shadow root before any Atoll code ran: the fill script alone moved it.
  await page.waitForFunction(() => document.querySelector('bd-card')?.hasAttribute('data-atoll-deferred') === false && document.readyState !== 'loading');
  expect(await page.evaluate(look)).toMatchObject({ hydrated: false, text: 'Early card', color: 'rgb(255, 0, 0)', fallback: false, light: true, fills: 0 });
  releaseRuntime();
  await page.waitForFunction(() => document.querySelector('bd-card')?.hasAttribute('defer-hydration') === false);
  await page.locator('bd-card button').click();
  await page.waitForFunction(() => document.querySelector('bd-card')!.shadowRoot!.querySelector('button')!.textContent === 'Count: 1');
  expect(errors).toEqual([]);
  await close();
});

test('with JavaScript off the fallback stays and the page is complete; the fill stays inert', async () => {
  const { page, close } = await open({ javaScriptEnabled: false });
  await page.goto(`${base}/?run=nojs`, { waitUntil: 'commit' });
  await page.waitForSelector('#foot');
  release('nojs:c', { props: { text: 'Never shown', values: [] } });
  await page.waitForLoadState('load');
  const seen = await page.evaluate(
    // evaluate still runs with JavaScript off for the page (it is the test's own script).
    () => ({
      fallback: document.querySelector('#fallback')!.checkVisibility(),
      foot: document.querySelector('#foot')!.checkVisibility(),
      cards: document.querySelectorAll('bd-card').length,
      fill: document.querySelectorAll('template[data-atoll-fill]').length,
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point (textContent also holds the props script)
      shownText: document.body.innerText.includes('Never shown'),
    }),
  );
  expect(seen).toEqual({ fallback: true, foot: true, cards: 1, fill: 1, shownText: false });
  await close();
});

test('under a Content-Security-Policy that lists the two fill-script hashes the fill runs; without them it is refused', async () => {
  const allowed = await open();
  const policy = encodeURIComponent(`script-src ${FILL_SCRIPT_HASHES.join(' ')}`);
  await allowed.page.goto(`${base}/csp?run=csp&policy=${policy}`, { waitUntil: 'commit' });
  await allowed.page.waitForSelector('#fallback');
  release('csp:p', { props: { text: 'Allowed', values: [] } });
  await allowed.page.waitForFunction(() => document.querySelector('bd-card')?.shadowRoot?.querySelector('i')?.textContent === 'Allowed');
  expect(allowed.errors).toEqual([]);
  await allowed.close();

  // The control: the same page under script-src 'none' keeps its fallback and Chromium reports it.
  const refused = await open();
  await refused.page.goto(`${base}/csp?run=none&policy=${encodeURIComponent("script-src 'none'")}`, { waitUntil: 'commit' });
  await refused.page.waitForSelector('#fallback');
  release('none:p', { props: { text: 'Refused', values: [] } });
  await refused.page.waitForLoadState('load');
  expect(await refused.page.evaluate(() => document.querySelector('bd-card')!.hasAttribute('data-atoll-deferred'))).toBe(true);
  expect(refused.errors.some((e) => e.includes('Content Security Policy'))).toBe(true);
  await refused.close();
});

test('a deferred hydrate="interaction" island: its first click after the fill wakes it and is not lost', async () => {
  const { page, errors, close } = await open();
  const modules: string[] = [];
  page.on('request', (r) => r.resourceType() === 'script' && modules.push(new URL(r.url()).pathname));
  await page.goto(`${base}/interaction?run=wake`, { waitUntil: 'commit' });
  await page.waitForSelector('#fallback');
  release('wake:i', { props: { text: 'Woken', values: [] } });
  await page.waitForFunction(() => document.querySelector('bd-card')?.shadowRoot?.querySelector('i')?.textContent === 'Woken');
  await page.waitForLoadState('load');
  // In place but asleep: its code is not requested before an interaction.
  expect(modules.some((m) => m.includes('/bd-card-'))).toBe(false);
  expect(await page.evaluate(() => document.querySelector('bd-card')!.hasAttribute('defer-hydration'))).toBe(true);
  await page.locator('bd-card button').click();
  await page.waitForFunction(() => document.querySelector('bd-card')!.shadowRoot!.querySelector('button')!.textContent === 'Count: 1');
  expect(modules.some((m) => m.includes('/bd-card-'))).toBe(true);
  expect(errors).toEqual([]);
  await close();
});
