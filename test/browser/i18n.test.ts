import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { launchBrowser } from '../helpers/browser.js';
import { startRecipe } from '../helpers/recipe.js';

let browser: Browser;
let server: FastifyInstance;
let base: string;

beforeAll(async () => {
  browser = await launchBrowser();
  // Development mode: the runtime re-renders each island after hydration and reports any
  // difference from the server's HTML as a console error, which fails the test below.
  ({ server } = await startRecipe('i18n', { mode: 'development' }));
  base = await server.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  // The recipe keeps the default layout, which links no icon: Chromium's own /favicon.ico request
  // (a 404, and a console error whenever it lands before the test ends) is not the page's.
  const favicon = (url: string) => new URL(url).pathname === '/favicon.ico';
  page.on('console', (m) => m.type() === 'error' && !favicon(m.location().url || 'http://x/') && errors.push(`${m.text()} (${m.location().url})`));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('response', (r) => r.status() >= 400 && !favicon(r.url()) && errors.push(`${r.status()} ${r.url()}`));
  await page.goto(url);
  await page.waitForFunction(() => !document.querySelector('greeting-counter')!.hasAttribute('defer-hydration'));
  return { page, errors };
}

const counter = (page: Page, part: 'p' | 'button') => page.locator(`greeting-counter ${part}`).textContent();

test.each([
  ['/fr/', 'fr', ['0 clics', 'Ajouter un'], ['2 clics', 'Ajouter un']],
  ['/', 'en', ['Clicked 0 times', 'Add one'], ['Clicked 2 times', 'Add one']],
])('%s hydrates in %s: the island keeps the server text and updates in the same language', async (url, locale, before, after) => {
  const { page, errors } = await open(base + url);
  expect(await page.locator('html').getAttribute('lang')).toBe(locale);
  expect([await counter(page, 'p'), await counter(page, 'button')]).toEqual(before);
  await page.locator('greeting-counter button').click();
  await page.locator('greeting-counter button').click();
  await expect.poll(() => counter(page, 'p')).toBe(after[0]);
  expect(await counter(page, 'button')).toBe(after[1]);
  expect(errors).toEqual([]);
  await page.close();
});

test('two tabs in different locales each hydrate in their own', async () => {
  const [fr, en] = await Promise.all([open(`${base}/fr/`), open(`${base}/`)]);
  await fr.page.locator('greeting-counter button').click();
  await en.page.locator('greeting-counter button').click();
  await expect.poll(() => counter(fr.page, 'p')).toBe('1 clics');
  await expect.poll(() => counter(en.page, 'p')).toBe('Clicked 1 times');
  expect([...fr.errors, ...en.errors]).toEqual([]);
  await Promise.all([fr.page.close(), en.page.close()]);
});
