/**
 * Four real design systems (pinned devDependencies) in one test app, each in a hydrated root:
 * what renders on the server, what falls back to the browser, and that each page hydrates with
 * one Lit, no console error, and working controls. README "Using a design system" publishes the
 * table these tests check.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { launchBrowser } from '../helpers/browser.js';
import { startApp, type LogLine } from '../helpers/write-app.js';
import { DESIGN_SYSTEMS, writeDesignSystemApp } from '../helpers/design-systems.js';

/** Measured with the pinned versions: the tags whose server render throws, and the stage where. */
const FALLBACKS: Record<string, Record<string, string>> = {
  'ds-webawesome': {},
  'ds-material': {},
  'ds-carbon': { 'cds-select': 'render', 'cds-modal': 'render' },
  'ds-shoelace': { 'sl-button': 'render', 'sl-input': 'constructor', 'sl-checkbox': 'render', 'sl-switch': 'render', 'sl-card': 'render' },
};

let browser: Browser;
let server: FastifyInstance;
let logs: LogLine[];
let base: string;
beforeAll(async () => {
  browser = await launchBrowser();
  ({ server, logs } = await startApp(writeDesignSystemApp()));
  base = await server.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('response', (r) => r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`));
  await page.route('**/favicon.ico', (route) => route.fulfill({ status: 204 }));
  await page.goto(base + path);
  await page.waitForFunction((root) => !document.querySelector(root)!.hasAttribute('defer-hydration'), path.slice(1));
  return { page, errors };
}

describe.each(DESIGN_SYSTEMS.map((ds) => [ds.name, ds] as const))('%s', (_name, ds) => {
  test('renders on the server: a declarative shadow root for every component that supports it, the others sent unrendered with a warning', async () => {
    const response = await server.inject(`/${ds.root}`);
    expect(response.statusCode).toBe(200);
    const fallbacks = FALLBACKS[ds.root]!;
    for (const tag of ds.tags) {
      const withShadow = new RegExp(`<${tag}(?=[\\s>])[^>]*><template shadowroot="open"`).test(response.body);
      expect(withShadow, tag).toBe(fallbacks[tag] === undefined);
    }
    const warned = Object.fromEntries(logs.filter((l) => l['code'] === 'ATOLL_ELEMENT_RENDERED_IN_BROWSER' && l['routeId'] === ds.root).map((l) => [l['tag'], l['stage']]));
    expect(warned).toEqual(fallbacks);
  });

  test('hydrates in Chromium with one Lit and no console error; a click, typing and a toggle work', async () => {
    const { page, errors } = await open(`/${ds.root}`);
    // Every component has a shadow root once the page runs (server-rendered or rendered in the browser).
    for (const tag of ds.tags.filter((t) => !t.endsWith('modal') && !t.endsWith('modal-header'))) {
      await expect
        .poll(
          () =>
            page
              .locator(`${ds.root} ${tag}`)
              .first()
              .evaluate((e) => e.shadowRoot !== null),
          { message: tag },
        )
        .toBe(true);
    }
    expect(await page.evaluate(() => (globalThis as { litHtmlVersions?: string[] }).litHtmlVersions)).toHaveLength(1);
    await page.locator(`${ds.root} #act`).first().click();
    await expect.poll(() => page.locator(`${ds.root} output`).textContent()).toBe('1');
    await page.locator(`${ds.root} #field`).first().click();
    await page.keyboard.type('Ada');
    await expect
      .poll(() =>
        page
          .locator(`${ds.root} #field`)
          .first()
          .evaluate((e) => (e as HTMLInputElement).value),
      )
      .toBe('Ada');
    await page.locator(`${ds.root} ${ds.toggle}`).first().click();
    await expect
      .poll(() =>
        page
          .locator(`${ds.root} #check`)
          .first()
          .evaluate((e) => (e as HTMLInputElement).checked),
      )
      .toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });
});
