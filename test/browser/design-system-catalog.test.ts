/**
 * The wider measurement behind README "Using a design system": 26 Shoelace and 22 Carbon
 * components, each in its own hydrated root, rendered on the server with their light DOM, then
 * hydrated in Chromium without a console error.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { launchBrowser, openCollectingErrors } from '../helpers/browser.js';
import { startApp, type LogLine } from '../helpers/write-app.js';
import { CATALOG, catalogRoot, writeCatalogApp } from '../helpers/design-system-catalog.js';

/** Measured with the pinned versions: the only one left to the browser, and why. */
const NOT_ON_SERVER: Record<string, string> = { 'sl-input': 'constructor: document is not defined' };

/**
 * Renders on the server but fails to hydrate (the same on main before the light-DOM view, so not
 * from it): Carbon's tooltip. README advises clientOnly for it.
 */
const HYDRATION_FAILS: Record<string, string> = { 'cds-tooltip': "TypeError: Cannot set properties of undefined (setting 'adoptedStyleSheets')" };

let browser: Browser;
let server: FastifyInstance;
let logs: LogLine[];
let base: string;
beforeAll(async () => {
  browser = await launchBrowser();
  ({ server, logs } = await startApp(writeCatalogApp()));
  base = await server.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

test('every catalog component renders on the server (a declarative shadow root) but the listed ones, which fall back naming the cause', async () => {
  const measured: Record<string, string> = {};
  for (const entry of CATALOG) {
    const response = await server.inject(`/${catalogRoot(entry)}`);
    expect(response.statusCode, entry.tag).toBe(200);
    if (new RegExp(`<${entry.tag}(?=[\\s>])[^>]*><template shadowroot="open"`).test(response.body)) continue;
    const warning = logs.find((l) => l['code'] === 'ATOLL_ELEMENT_RENDERED_IN_BROWSER' && l['routeId'] === catalogRoot(entry) && l['tag'] === entry.tag);
    measured[entry.tag] = `${warning?.['stage']}: ${/on the server: (.*?)\. It was sent/.exec(warning?.msg ?? '')?.[1]}`;
  }
  expect(measured).toEqual(NOT_ON_SERVER);
  expect(logs.filter((l) => l['code'] === 'ATOLL_COMPONENT_BROWSER_ONLY')).toEqual([]);
});

test('every catalog page hydrates in Chromium with no console error but the listed one', async () => {
  const failures: Record<string, string> = {};
  for (const entry of CATALOG) {
    const root = catalogRoot(entry);
    const { page, errors } = await openCollectingErrors(browser, `${base}/${root}`);
    await page.waitForFunction((tag) => !document.querySelector(tag)!.hasAttribute('defer-hydration'), root);
    await page.waitForFunction(
      async ({ root, tag }) => {
        const el = document.querySelector(root)!.shadowRoot?.querySelector(tag) as (Element & { updateComplete?: Promise<unknown> }) | null;
        await el?.updateComplete?.catch(() => undefined);
        return el?.shadowRoot !== null;
      },
      { root, tag: entry.tag },
    );
    if (errors.length > 0) failures[entry.tag] = errors[0]!;
    await page.close();
  }
  expect(failures).toEqual(HYDRATION_FAILS);
});
