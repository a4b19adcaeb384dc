import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page, Route } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { launchBrowser } from '../helpers/browser.js';
import { litComponent, startApp, writeApp } from '../helpers/write-app.js';

/**
 * `hydrate="interaction"` and `hydrate="media(…)"` in Chromium. The island's module request is
 * held on a promise the test releases, so "the click arrived before hydration" is an order the
 * test makes, not a race it hopes for.
 */
/** Template-author text that tries to leave the attribute, the tag or the page's scripts. */
const HOSTILE_QUERIES = [
  '(min-width: 1px)" onmouseover="window.pwned=1" x="',
  "all' onfocus='window.pwned=1",
  'x</script><script>window.pwned=1</script><img src=x onerror="window.pwned=1">',
  'all &amp; &lt;b&gt; ` ${window.pwned=1}',
  'all\n><img src=x onerror=window.pwned=1>',
];

let browser: Browser;
let server: FastifyInstance;
let base: string;
const root = writeApp({
  'app.config.json': {
    routes: [
      { id: 'counter', path: '/', contentTemplate: 'counter.html' },
      { id: 'field', path: '/field', contentTemplate: 'field.html' },
      { id: 'media', path: '/media', contentTemplate: 'media.html' },
      { id: 'hostile', path: '/hostile', contentTemplate: 'hostile.html' },
    ],
  },
  'counter.html': '<w-counter hydrate="interaction"></w-counter>',
  'field.html': '<w-field hydrate="interaction"></w-field>',
  'media.html': '<w-now hydrate></w-now><w-wide hydrate="media((min-width: 1000px))"></w-wide><w-any hydrate="media(all)"></w-any>',
  'hostile.html': HOSTILE_QUERIES.map((q) => `<w-any hydrate='media(${q.replaceAll('&', '&amp;').replaceAll("'", '&#39;')})'></w-any>`).join(''),
  'components/w-counter.ts': litComponent('w-counter', {
    properties: 'count: { type: Number }, checked: { type: Boolean }',
    render:
      '<button @click=${() => (this.count = (this.count ?? 0) + 1)}>Count: ${this.count ?? 0}</button><label><input type="checkbox" @change=${(e) => (this.checked = e.target.checked)}> <span>${this.checked ? "on" : "off"}</span></label>',
  }),
  'components/w-field.ts': litComponent('w-field', {
    properties: 'text: { type: String }, keys: { type: Number }',
    render:
      '<input .value=${this.text ?? ""} @keydown=${() => (this.keys = (this.keys ?? 0) + 1)} @input=${(e) => (this.text = e.target.value)}><p>${this.text || "-"}|${this.keys ?? 0}</p>',
  }),
  'components/w-now.ts': litComponent('w-now', { render: '<p>now</p>' }),
  'components/w-wide.ts': litComponent('w-wide', { render: '<p>wide</p>' }),
  'components/w-any.ts': litComponent('w-any', { render: '<p>any</p>' }),
});

beforeAll(async () => {
  browser = await launchBrowser();
  ({ server } = await startApp(root));
  base = await server.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(path: string, viewport = { width: 800, height: 600 }) {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  const modules: string[] = [];
  // Chromium asks for /favicon.ico, which this app does not have.
  page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => r.resourceType() === 'script' && modules.push(new URL(r.url()).pathname));
  return { page, errors, modules, go: () => page.goto(base + path) };
}

/** Holds the request for one island's module until `release()`; `requested` resolves when the browser asks. */
async function holdModule(page: Page, tag: string) {
  let release!: () => void;
  let requested!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const asked = new Promise<void>((resolve) => (requested = resolve));
  await page.route(new RegExp(`/_atoll/${tag}-[A-Z0-9]{8}\\.js$`), async (route: Route) => {
    requested();
    await released;
    await route.continue();
  });
  return { release, requested: asked };
}

const deferred = (page: Page, tag: string) => page.locator(tag).evaluate((e) => e.hasAttribute('defer-hydration'));
const hydrated = (page: Page, tag: string) => page.waitForFunction((t) => !document.querySelector(t)!.hasAttribute('defer-hydration'), tag);

test('the very first click on a not-yet-hydrated counter counts, and the module loads only on interaction', async () => {
  const { page, errors, modules, go } = await open('/');
  const held = await holdModule(page, 'w-counter');
  await go();
  await page.waitForLoadState('networkidle');
  expect(await deferred(page, 'w-counter')).toBe(true);
  expect(modules.some((m) => m.includes('w-counter'))).toBe(false);
  await page.locator('w-counter button').click();
  await held.requested;
  // The click is over and the module is still held: the island has not hydrated yet.
  expect(await deferred(page, 'w-counter')).toBe(true);
  expect(await page.locator('w-counter button').textContent()).toBe('Count: 0');
  held.release();
  await hydrated(page, 'w-counter');
  await expect.poll(() => page.locator('w-counter button').textContent()).toBe('Count: 1');
  await page.locator('w-counter button').click();
  expect(await page.locator('w-counter button').textContent()).toBe('Count: 2');
  expect(errors).toEqual([]);
});

test('a click held before hydration runs its default action once: a checkbox toggles once and the component sees it', async () => {
  const { page, errors, go } = await open('/');
  const held = await holdModule(page, 'w-counter');
  await go();
  await page.locator('w-counter input').click();
  await held.requested;
  expect(await page.locator('w-counter input').isChecked()).toBe(false);
  held.release();
  await hydrated(page, 'w-counter');
  await expect.poll(() => page.locator('w-counter span').textContent()).toBe('on');
  expect(await page.locator('w-counter input').isChecked()).toBe(true);
  expect(errors).toEqual([]);
});

test('keys typed into an input of an interaction island before it hydrates are not lost, and its listeners see them', async () => {
  const { page, errors, go } = await open('/field');
  const held = await holdModule(page, 'w-field');
  await go();
  await page.locator('w-field input').focus();
  await held.requested;
  await page.keyboard.type('ab');
  expect(await deferred(page, 'w-field')).toBe(true);
  expect(await page.locator('w-field input').inputValue()).toBe('ab');
  held.release();
  await hydrated(page, 'w-field');
  await expect.poll(() => page.locator('w-field p').textContent()).toBe('ab|2');
  expect(await page.locator('w-field input').inputValue()).toBe('ab');
  await page.keyboard.type('c');
  expect(await page.locator('w-field p').textContent()).toBe('abc|3');
  expect(errors).toEqual([]);
});

test('a media island hydrates when the viewport comes to match its query, and not before; a matching query hydrates at once', async () => {
  const { page, errors, modules, go } = await open('/media');
  await go();
  // Boot schedules every island in one pass: once the load and the matching media island have hydrated, the other was judged.
  await hydrated(page, 'w-now');
  await hydrated(page, 'w-any');
  await page.waitForLoadState('networkidle');
  expect(await deferred(page, 'w-wide')).toBe(true);
  expect(modules.some((m) => m.includes('w-wide'))).toBe(false);
  await page.setViewportSize({ width: 1200, height: 600 });
  await hydrated(page, 'w-wide');
  expect(modules.some((m) => m.includes('w-wide'))).toBe(true);
  expect(errors).toEqual([]);
});

test('a hostile media query stays the value of its attribute: escaped in the HTML, exact in the DOM, and runs nothing', async () => {
  const html = await (await fetch(`${base}/hostile`)).text();
  const tags = html.match(/<w-any[^>]*>/g)!;
  expect(tags).toEqual(
    HOSTILE_QUERIES.map(
      (q, i) =>
        `<w-any     hydrate="media(${q.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll("'", '&#39;')})" data-atoll-island="${i}" defer-hydration>`,
    ),
  );
  const { page, errors, go } = await open('/hostile');
  await go();
  await page.waitForLoadState('networkidle');
  const seen = await page.evaluate(() => ({
    pwned: (window as unknown as { pwned?: number }).pwned ?? null,
    images: document.querySelectorAll('img').length,
    // defer-hydration is gone once an island matched (`all …` queries matchMedia may read as `all`).
    islands: [...document.querySelectorAll('w-any')].map((e) => ({ names: e.getAttributeNames().filter((n) => n !== 'defer-hydration'), hydrate: e.getAttribute('hydrate') })),
  }));
  expect(seen).toEqual({
    pwned: null,
    images: 0,
    islands: HOSTILE_QUERIES.map((q) => ({ names: ['hydrate', 'data-atoll-island'], hydrate: `media(${q})` })),
  });
  expect(errors).toEqual([]);
});
