import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { launchBrowser } from '../helpers/browser.js';
import { litComponent, startApp, writeApp } from '../helpers/write-app.js';

/** Hostile strings by advisory class: script and comment breakouts, entities, line separators, surrogates. */
const HOSTILE = [
  '</script><script>window.__xss = 1</script>',
  '</SCRIPT><script>window.__xss = 2</script>',
  '<!--<script>window.__xss = 3</script>',
  '<img src=x onerror="window.__xss=4">',
  '"quotes" and \'apostrophes\' and `backticks`',
  '&amp; &lt; &#60; &#x3C;',
  'line\u2028separator\u2029paragraph',
  'emoji 😀 and 𝒳',
  '\u0000nul and \ttab',
  '${"template"}',
];

let browser: Browser;
const servers: FastifyInstance[] = [];
const root = writeApp({
  'app.config.json': {
    routes: [
      { id: 'props', path: '/', contentTemplate: 'props.html' },
      { id: 'mismatch', path: '/mismatch', contentTemplate: 'mismatch.html' },
      { id: 'node-only', path: '/node-only', contentTemplate: 'node-only.html' },
    ],
  },
  'props.html': '<h-echo hydrate></h-echo><h-echo hydrate="client-only" which="client"></h-echo><h-plain></h-plain>',
  'mismatch.html': '<h-mismatch hydrate></h-mismatch>',
  'node-only.html': '<h-node hydrate></h-node>',
  'components/h-echo.ts': litComponent('h-echo', {
    properties: 'values: { attribute: false }, nested: { attribute: false }',
    render: '<ul>${(this.values ?? []).map((v) => html`<li>${v}</li>`)}</ul>',
    extra: `export async function getServerData() {
      return { props: { values: ${JSON.stringify(HOSTILE)}, nested: JSON.parse('{"__proto__":{"polluted":true},"deep":{"constructor":{"prototype":{"polluted":true}}}}') } };
    }`,
  }),
  'components/h-plain.ts': litComponent('h-plain', { render: '<p>plain</p>' }),
  'components/h-mismatch.ts': litComponent('h-mismatch', { render: "<p>${typeof document === 'undefined' ? 'server' : 'browser'}</p>" }),
  'components/h-node.ts': `import { readFile } from 'node:fs/promises';
${litComponent('h-node', { properties: 'size: { type: Number }', render: '<p>${this.size}</p>' })}
export async function getServerData() { return { props: { size: (await readFile(new URL(import.meta.url))).length > 0 ? 1 : 0 } }; }
`,
});

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((s) => s.close()));
});

async function open(path: string, mode: 'production' | 'development' = 'production') {
  const { server } = await startApp(root, { mode });
  servers.push(server);
  const base = await server.listen({ port: 0, host: '127.0.0.1' });
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('response', (r) => r.status() >= 400 && !r.url().endsWith('/favicon.ico') && errors.push(`${r.status()} ${r.url()}`));
  await page.goto(base + path);
  return { page, errors: () => errors.filter((e) => !e.startsWith('Failed to load resource')) };
}

test('hostile prop values reach hydrated and client-only islands exactly, execute nothing and pollute no prototype', async () => {
  const { page, errors } = await open('/');
  await page.waitForFunction(() => [...document.querySelectorAll('h-echo')].every((e) => !e.hasAttribute('defer-hydration') && e.shadowRoot?.querySelector('li')));
  const seen = await page.evaluate(() => ({
    values: [...document.querySelectorAll('h-echo')].map((e) => (e as unknown as { values: string[] }).values),
    nested: [...document.querySelectorAll('h-echo')].map((e) => Object.keys((e as unknown as { nested: object }).nested)),
    rendered: [...document.querySelectorAll('h-echo')].map((e) => [...e.shadowRoot!.querySelectorAll('li')].map((li) => li.textContent)),
    xss: (window as unknown as { __xss?: number }).__xss,
    polluted: ({} as { polluted?: boolean }).polluted,
    scripts: document.querySelectorAll('script').length,
    images: document.querySelectorAll('img').length,
  }));
  expect(seen.values).toEqual([HOSTILE, HOSTILE]);
  // What the DOM shows; the HTML parser drops a NUL in text, so that one value is compared without it.
  expect(seen.rendered.map((list) => list.map((t) => t!.replace(/\u0000/g, '')))).toEqual([0, 1].map(() => HOSTILE.map((v) => v.replace(/\u0000/g, ''))));
  expect(seen.nested).toEqual([
    ['__proto__', 'deep'],
    ['__proto__', 'deep'],
  ]);
  expect(seen.xss).toBeUndefined();
  expect(seen.polluted).toBeUndefined();
  expect(seen.scripts).toBe(3); // two props scripts and the boot script
  expect(seen.images).toBe(0);
  expect(errors()).toEqual([]);
});

test('development reports a hydration mismatch in the console with the tag; production does not', async () => {
  const dev = await open('/mismatch', 'development');
  await expect
    .poll(() => dev.errors().join('\n'), { timeout: 15_000 })
    .toContain('Atoll: hydration mismatch in <h-mismatch>: the server rendered "<p>server</p>" but the browser renders "<p>browser</p>"');
  const prod = await open('/mismatch');
  await prod.page.waitForFunction(() => !document.querySelector('h-mismatch')!.hasAttribute('defer-hydration'));
  await prod.page.waitForTimeout(200);
  expect(prod.errors()).toEqual([]);
});

test('getServerData and its Node-only imports stay out of the browser code', async () => {
  const { page, errors } = await open('/node-only');
  await page.waitForFunction(() => !document.querySelector('h-node')!.hasAttribute('defer-hydration'));
  expect(await page.locator('h-node p').textContent()).toBe('1');
  const sources = await page.evaluate(async () => {
    const urls = [...document.querySelectorAll('link[rel=modulepreload]')].map((l) => (l as HTMLLinkElement).href);
    return Promise.all(urls.map(async (u) => (await fetch(u)).text()));
  });
  expect(sources.join('\n')).not.toMatch(/node:fs|readFile|getServerData/);
  expect(errors()).toEqual([]);
});
