import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { launchBrowser } from '../helpers/browser.js';
import { REPO_ROOT, startRecipe } from '../helpers/recipe.js';
import { startApp } from '../helpers/write-app.js';

let browser: Browser;
const servers: FastifyInstance[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((s) => s.close()));
});

async function serve(recipe: string): Promise<string> {
  const { server } = recipe === 'demo' ? await startApp(REPO_ROOT) : await startRecipe(recipe);
  servers.push(server);
  return server.listen({ port: 0, host: '127.0.0.1' });
}

/** A page that records console errors, uncaught errors, failed responses and script requests. */
async function openPage(url: string): Promise<{ page: Page; errors: string[]; scripts: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  const scripts: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('response', (r) => r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`));
  page.on('request', (r) => r.resourceType() === 'script' && scripts.push(new URL(r.url()).pathname));
  await page.goto(url);
  return { page, errors, scripts };
}

const deferred = (page: Page, selector: string) => page.locator(selector).evaluate((e) => e.hasAttribute('defer-hydration'));

describe('islands recipe', () => {
  let base: string;
  beforeAll(async () => {
    base = await serve('islands');
  });

  test('a hydrated counter starts from its getServerData count and increments; two instances keep their own props', async () => {
    const { page, errors } = await openPage(base);
    const first = page.locator('counter-button[label="Load"] button');
    const second = page.locator('counter-button[label="Second"] button');
    await page.waitForFunction(() => !document.querySelector('counter-button[label="Load"]')!.hasAttribute('defer-hydration'));
    expect(await first.textContent()).toBe('Load: 5');
    expect(await second.textContent()).toBe('Second: 15');
    await first.click();
    await first.click();
    await second.click();
    expect(await first.textContent()).toBe('Load: 7');
    expect(await second.textContent()).toBe('Second: 16');
    expect(errors).toEqual([]);
  });

  test("the static root ships no JavaScript of its own; the page loads only its islands' modules", async () => {
    const { page, scripts } = await openPage(base);
    await page.waitForFunction(() => document.querySelector('client-clock')!.shadowRoot !== null);
    expect(scripts.some((s) => s.includes('static-note'))).toBe(false);
    expect(
      scripts
        .filter((s) => !s.includes('/chunk-'))
        .map((s) => s.replace(/-[A-Z0-9]{8}\.js$/, ''))
        .sort(),
    ).toEqual(['/_atoll/atoll-runtime', '/_atoll/client-clock', '/_atoll/counter-button']);
    expect(await page.locator('static-note p').textContent()).toBe('I am plain HTML: no JavaScript ships for me.');
  });

  test('client-only renders in the browser with its props; idle and visible islands hydrate when due', async () => {
    const { page, errors } = await openPage(base);
    await expect.poll(() => page.locator('client-clock').evaluate((e) => e.shadowRoot?.querySelector('p')?.textContent), { timeout: 15_000 }).toMatch(/^Time in Europe\/Paris: /);
    await page.waitForFunction(() => !document.querySelector('counter-button[label="Idle"]')!.hasAttribute('defer-hydration'));
    expect(await deferred(page, 'counter-button[label="Visible"]')).toBe(true);
    await page.locator('counter-button[label="Visible"]').evaluate((e) => e.scrollIntoView());
    await page.waitForFunction(() => !document.querySelector('counter-button[label="Visible"]')!.hasAttribute('defer-hydration'));
    await page.locator('counter-button[label="Visible"] button').click();
    expect(await page.locator('counter-button[label="Visible"] button').textContent()).toBe('Visible: 6');
    expect(errors).toEqual([]);
  });
});

test('the declarative shadow DOM polyfill loads only where the browser lacks DSD', async () => {
  const base = await serve('islands');
  const native = await openPage(base);
  await native.page.waitForFunction(() => !document.querySelector('counter-button[label="Load"]')!.hasAttribute('defer-hydration'));
  const nativeScripts = await native.page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  const polyfilled = await browser.newPage();
  await polyfilled.addInitScript(() => {
    delete (HTMLTemplateElement.prototype as unknown as Record<string, unknown>)['shadowRootMode'];
  });
  await polyfilled.goto(base);
  await polyfilled.waitForFunction(() => !document.querySelector('counter-button[label="Load"]')!.hasAttribute('defer-hydration'));
  const polyfilledScripts = await polyfilled.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  const extra = polyfilledScripts.filter((u) => !nativeScripts.includes(u));
  expect(extra).toHaveLength(1);
  const source = await (await fetch(extra[0]!)).text();
  expect(source).toContain('shadowrootmode');
  await polyfilled.locator('counter-button[label="Load"] button').click();
  expect(await polyfilled.locator('counter-button[label="Load"] button').textContent()).toBe('Load: 6');
});

describe('lazy-hydration recipe', () => {
  test("a visible island's module is not requested until it scrolls near the viewport", async () => {
    const base = await serve('lazy-hydration');
    const { page, scripts, errors } = await openPage(base);
    await page.waitForSelector('idle-widget[ready]');
    await page.waitForTimeout(300);
    expect(scripts.some((s) => s.includes('comment-box'))).toBe(false);
    expect(await deferred(page, 'comment-box')).toBe(true);
    expect(await page.locator('comment-box li').allTextContents()).toEqual(['First!', 'Nice page.']);
    await page.mouse.wheel(0, 5000);
    await page.waitForFunction(() => !document.querySelector('comment-box')!.hasAttribute('defer-hydration'));
    expect(scripts.some((s) => s.includes('comment-box'))).toBe(true);
    await page.locator('comment-box button').click();
    expect(await page.locator('comment-box button').textContent()).toBe('Likes: 8');
    expect(errors).toEqual([]);
  });
});

describe('client-only recipe', () => {
  test('the placeholder is in the HTML; the browser renders with attribute and server props, on both routes', async () => {
    const base = await serve('client-only');
    for (const path of ['/', '/spa']) {
      const html = await (await fetch(base + path)).text();
      expect(html).toContain('<p class="placeholder">Loading your greeting…</p>');
      expect(html).not.toContain('shadowrootmode');
      const { page, errors } = await openPage(base + path);
      await expect
        .poll(
          () =>
            page
              .locator('user-greeting p:not(.placeholder)')
              .textContent({ timeout: 1000 })
              .catch(() => null),
          { timeout: 15_000 },
        )
        .toBe('Welcome back, Ada! Visit number 3.');
      expect(errors).toEqual([]);
    }
  });
});

test('no console errors and no failed requests on any recipe page or the demo', async () => {
  const pages: [string, string[]][] = [
    ['hello', ['/']],
    ['server-data', ['/']],
    ['params-and-query', ['/docs/a/b?q=x&tag=1&tag=2']],
    ['head-markup', ['/articles/x']],
    ['cache-ttl', ['/', '/live']],
    ['errors-and-status', ['/products/1']],
    ['demo', ['/', '/category/books', '/cart']],
  ];
  // The demo's layout has the cart count island, so every demo page loads scripts.
  const withIslands = new Set(['demo/', 'demo/category/books', 'demo/cart']);
  for (const [recipe, paths] of pages) {
    const base = await serve(recipe);
    for (const path of paths) {
      const { page, errors, scripts } = await openPage(base + path);
      await page.mouse.wheel(0, 5000);
      await page.waitForLoadState('networkidle');
      // The demo names its icon: nothing of it may fail, a favicon 404 included.
      if (recipe === 'demo') expect(errors, `${recipe}${path}`).toEqual([]);
      // Recipes without a layout icon make Chromium ask for /favicon.ico; that 404 (and its console line) is not the page's.
      expect(
        errors.filter((e) => !e.endsWith('/favicon.ico') && !e.startsWith('Failed to load resource: the server responded with a status of 404')),
        `${recipe}${path}`,
      ).toEqual([]);
      expect(
        errors.filter((e) => / \/(?!favicon\.ico)\S*$/.test(e) && /^4\d\d /.test(e)),
        `${recipe}${path}`,
      ).toEqual([]);
      if (withIslands.has(`${recipe}${path}`)) {
        await page.waitForFunction(() => document.querySelectorAll('[defer-hydration]').length === 0);
      } else {
        expect(scripts, `${recipe}${path} has no islands and loads no script`).toEqual([]);
      }
    }
  }
});
