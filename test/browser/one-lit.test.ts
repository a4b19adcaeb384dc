import { appendFileSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { launchBrowser } from '../helpers/browser.js';
import { REPO_ROOT } from '../helpers/recipe.js';
import { startApp, writeApp } from '../helpers/write-app.js';

/**
 * An app with its own copies of the Lit family in its node_modules (as `npm install lit` gives
 * it) and its own @lit/context, which differs from the one in Atoll's node_modules.
 */
const root = writeApp({
  'app.config.json': { routes: [{ id: 'home', path: '/', contentTemplate: 'home.html' }] },
  'home.html': '<ctx-provider hydrate></ctx-provider>',
  'components/ctx-provider.ts': `import { LitElement, html } from 'lit';
import { ContextProvider, createContext, APP_COPY } from '@lit/context';
import { tag as extra } from '@lit-labs/app-only';
const themeContext = createContext('theme');
export class P extends LitElement {
  static properties = { clicks: { state: true } };
  constructor() { super(); this.clicks = 0; new ContextProvider(this, { context: themeContext, initialValue: 'dark' }); }
  render() { return html\`<button @click=\${() => this.clicks++}>\${APP_COPY} \${extra} \${this.clicks}</button>\`; }
}
customElements.define('ctx-provider', P);
`,
});
const modules = path.join(root, 'node_modules');
for (const pkg of ['lit', 'lit-html', 'lit-element', '@lit/reactive-element', '@lit/context']) {
  cpSync(path.join(REPO_ROOT, 'node_modules', pkg), path.join(modules, pkg), { recursive: true, dereference: true });
}
// The app's @lit/context is told apart from Atoll's by one export; @lit-labs/app-only exists only in the app.
for (const entry of ['index.js', 'development/index.js']) appendFileSync(path.join(modules, '@lit/context', entry), `\nexport const APP_COPY = 'app-context';\n`);
mkdirSync(path.join(modules, '@lit-labs/app-only'), { recursive: true });
writeFileSync(path.join(modules, '@lit-labs/app-only/package.json'), JSON.stringify({ name: '@lit-labs/app-only', version: '1.0.0', type: 'module', exports: './index.js' }));
writeFileSync(path.join(modules, '@lit-labs/app-only/index.js'), `export const tag = 'app-only';\n`);

let browser: Browser;
const servers: FastifyInstance[] = [];
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((s) => s.close()));
});

test('server chunks import @lit/context and @lit-labs/* from the app, and Lit itself from one copy', async () => {
  const { server } = await startApp(root);
  servers.push(server);
  const response = await server.inject('/');
  expect(response.statusCode).toBe(200);
  expect(response.body).toMatch(/<button ><!--lit-part-->app-context<!--\/lit-part--> <!--lit-part-->app-only<!--\/lit-part--> <!--lit-part-->0<!--\/lit-part--><\/button>/);
});

test('in Chromium the page loads one Lit (no "Multiple versions of Lit loaded") and hydrates', async () => {
  const { server } = await startApp(root, { mode: 'development' });
  servers.push(server);
  const base = await server.listen({ port: 0, host: '127.0.0.1' });
  const page = await browser.newPage();
  const messages: string[] = [];
  page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && messages.push(m.text()));
  page.on('pageerror', (e) => messages.push(String(e)));
  await page.route('**/favicon.ico', (route) => route.fulfill({ status: 204 }));
  await page.goto(base);
  await page.waitForFunction(() => !document.querySelector('ctx-provider')!.hasAttribute('defer-hydration'));
  await page.locator('ctx-provider button').click();
  await expect.poll(() => page.locator('ctx-provider button').textContent()).toBe('app-context app-only 1');
  expect(await page.evaluate(() => (globalThis as { litHtmlVersions?: string[] }).litHtmlVersions)).toHaveLength(1);
  expect(await page.evaluate(() => (globalThis as { reactiveElementVersions?: string[] }).reactiveElementVersions)).toHaveLength(1);
  expect(messages.filter((m) => !m.startsWith('Lit is in dev mode'))).toEqual([]);
  await page.close();
});
