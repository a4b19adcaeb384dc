/**
 * A library that touches the DOM when imported (Lion 0.21: `window is not defined`) does not stop
 * the app: the component importing it is browser-only, sent unrendered, and works in Chromium.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { launchBrowser, openCollectingErrors } from '../helpers/browser.js';
import { startApp, writeApp, type LogLine } from '../helpers/write-app.js';
import { loadApp } from '../../src/app.js';

const lionForm = `import { LitElement, html } from 'lit';
import '@lion/ui/define/lion-input.js';
import '@lion/ui/define/lion-button.js';
customElements.define('lion-form', class extends LitElement {
  static properties = { clicks: { state: true } };
  constructor() { super(); this.clicks = 0; }
  render() {
    return html\`<lion-input id="field" label="Name" name="name"></lion-input>
<lion-button id="act" @click=\${() => this.clicks++}>Save</lion-button><output>\${this.clicks}</output>\`;
  }
});
`;

let browser: Browser;
let server: FastifyInstance;
let logs: LogLine[];
let base: string;
let root: string;
beforeAll(async () => {
  root = writeApp({
    'app.config.json': { pageCache: { enabled: false }, routes: [{ id: 'form', path: '/', contentTemplate: 'page.html' }] },
    'page.html': '<h1>Sign up</h1><lion-form hydrate title="a&quot;b"><p>light</p></lion-form><p>after</p>',
    'components/lion-form.ts': lionForm,
    'components/plain-card.ts': `import { LitElement, html } from 'lit';
customElements.define('plain-card', class extends LitElement { render() { return html\`<b>card</b>\`; } });
`,
  });
  browser = await launchBrowser();
  ({ server, logs } = await startApp(root));
  base = await server.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

test('the app starts; the component is browser-only with one warning naming its module and the cause', () => {
  const warnings = logs.filter((l) => l['code'] === 'ATOLL_COMPONENT_BROWSER_ONLY');
  expect(warnings).toHaveLength(1);
  expect(warnings[0]!['tag']).toBe('lion-form');
  expect(warnings[0]!.msg).toContain('components/lion-form.ts (<lion-form>): importing it on the server threw "window is not defined"');
});

test('the page renders with the element sent unrendered: its attributes and light DOM, no shadow root', async () => {
  const response = await server.inject('/');
  expect(response.statusCode).toBe(200);
  expect(response.body).toContain(
    '<h1>Sign up</h1><!--lit-node 1--><lion-form hydrate title="a&quot;b" data-atoll-island="0" defer-hydration ><p>light</p></lion-form><p>after</p>',
  );
  expect(response.body).not.toContain('<template shadowroot');
  expect(response.body).toContain('/_atoll/lion-form-');
});

test('in Chromium it upgrades and works: typing and a click, one Lit, no console error', async () => {
  const { page, errors } = await openCollectingErrors(browser, base + '/');
  await page.waitForFunction(() => document.querySelector('lion-form')?.shadowRoot?.querySelector('lion-button')?.shadowRoot !== null);
  await page.locator('lion-form lion-input input').fill('Ada');
  await expect.poll(() => page.locator('lion-form lion-input').evaluate((e) => (e as HTMLInputElement & { modelValue: string }).modelValue)).toBe('Ada');
  await page.locator('lion-form #act').click();
  await expect.poll(() => page.locator('lion-form output').textContent()).toBe('1');
  expect(await page.evaluate(() => (globalThis as { litHtmlVersions?: string[] }).litHtmlVersions)).toHaveLength(1);
  expect(errors).toEqual([]);
  await page.close();
});

test('any other throw at import is still a startup error', async () => {
  const broken = writeApp({
    'app.config.json': { routes: [{ id: 'p', path: '/', contentTemplate: 'page.html' }] },
    'page.html': '<x-broken></x-broken>',
    'components/x-broken.ts': `throw new TypeError('cannot read config');`,
  });
  await expect(loadApp(broken, { mode: 'production', ssrTimeoutMs: 5000 })).rejects.toMatchObject({ code: 'ATOLL_COMPONENT_INVALID' });
});
