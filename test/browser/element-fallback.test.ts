import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { launchBrowser } from '../helpers/browser.js';
import { startApp, writeApp, type LogLine } from '../helpers/write-app.js';

/** Nested elements that throw on the server only (as a design system's do), each at another stage. */
const parts = `import { LitElement, html, isServer } from 'lit';
const fail = (stage) => { if (isServer) throw new Error(stage + ': document is not defined'); };
class Base extends LitElement {
  static properties = { label: {} };
  render() { return html\`<b>\${this.localName} \${this.label ?? ''}</b><slot></slot>\`; }
}
customElements.define('f-ok', class extends Base {});
customElements.define('f-ctor', class extends Base { constructor() { super(); fail('constructor'); } });
customElements.define('f-will', class extends Base { willUpdate() { fail('willUpdate'); } });
customElements.define('f-render', class extends Base { render() { fail('render'); return super.render(); } });
customElements.define('f-listed', class extends Base { constructor() { super(); globalThis.__listedOnServer = isServer; } });
customElements.define('f-nested-client', class extends Base {});
customElements.define('f-toggle', class extends Base {
  static properties = { on: { type: Boolean, reflect: true } };
  constructor() { super(); fail('constructor'); this.on = false; }
  render() { return html\`<button @click=\${() => { this.on = !this.on; }}>\${this.on ? 'on' : 'off'}</button>\`; }
});
`;

const root = writeApp({
  'app.config.json': {
    clientOnly: ['f-list*'],
    pageCache: { enabled: false },
    routes: [
      { id: 'fallbacks', path: '/', contentTemplate: 'page.html' },
      { id: 'again', path: '/again', contentTemplate: 'page.html' },
      { id: 'root-throws', path: '/root-throws', contentTemplate: 'root-throws.html' },
    ],
  },
  'page.html': '<f-page hydrate></f-page>',
  'root-throws.html': '<f-page></f-page><f-broken-root></f-broken-root>',
  'components/_parts.ts': parts,
  'components/f-page.ts': `import { LitElement, html } from 'lit';
import './_parts.js';
customElements.define('f-page', class extends LitElement {
  render() {
    return html\`<f-ok label="fine"></f-ok><f-ctor label="a&quot;b"><i>light</i></f-ctor><f-will label=\${'bound'}></f-will><f-render></f-render><f-listed></f-listed><f-nested-client hydrate="client-only"></f-nested-client><f-toggle></f-toggle><p>after</p>\`;
  }
});
`,
  'components/f-broken-root.ts': `import { LitElement, html } from 'lit';
customElements.define('f-broken-root', class extends LitElement {
  constructor() { super(); throw new Error('document is not defined'); }
  render() { return html\`never\`; }
});
`,
});

let browser: Browser;
let server: FastifyInstance;
let logs: LogLine[];
beforeAll(async () => {
  browser = await launchBrowser();
  ({ server, logs } = await startApp(root));
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const fallbackLogs = () => logs.filter((l) => l['code'] === 'ATOLL_ELEMENT_RENDERED_IN_BROWSER');

describe('a nested element whose server render throws', () => {
  test('is sent unrendered with its attributes and light DOM; its siblings and the root render on the server', async () => {
    const response = await server.inject('/');
    expect(response.statusCode).toBe(200);
    const body = response.body;
    expect(body).toContain(
      '<!--lit-node 0--><f-ok  label="fine" defer-hydration><template shadowroot="open" shadowrootmode="open"><!--lit-part ox9qRAPcvp4=--><b><!--lit-part-->f-ok<!--/lit-part--> <!--lit-part-->fine<!--/lit-part--></b><slot></slot><!--/lit-part--></template></f-ok>',
    );
    expect(body).toContain('<!--lit-node 1--><f-ctor  label="a&quot;b" defer-hydration><i>light</i></f-ctor>');
    expect(body).toContain('<!--lit-node 3--><f-will  label="bound" defer-hydration></f-will>');
    expect(body).toContain('<!--lit-node 4--><f-render defer-hydration></f-render>');
    expect(body).toContain('<!--lit-node 7--><f-toggle defer-hydration></f-toggle><p>after</p>');
  });

  test('clientOnly patterns and nested hydrate="client-only" are never constructed on the server', async () => {
    const body = (await server.inject('/')).body;
    expect(body).toContain('<!--lit-node 5--><f-listed defer-hydration></f-listed>');
    expect(body).toContain('<!--lit-node 6--><f-nested-client  hydrate="client-only" defer-hydration></f-nested-client>');
    expect((globalThis as { __listedOnServer?: boolean }).__listedOnServer).toBeUndefined();
  });

  test('a warning names the tag, the root, the route, the stage and the cause, once per tag and route', async () => {
    for (let i = 0; i < 3; i++) expect((await server.inject('/')).statusCode).toBe(200);
    await server.inject('/again');
    const seen = fallbackLogs().map((l) => `${l['routeId']} ${l['tag']} ${l['root']} ${l['stage']}`);
    expect(seen.filter((s) => s.startsWith('fallbacks ')).sort()).toEqual([
      'fallbacks f-ctor f-page constructor',
      'fallbacks f-render f-page render',
      'fallbacks f-toggle f-page constructor',
      'fallbacks f-will f-page willUpdate/update',
    ]);
    expect(seen.filter((s) => s.startsWith('again '))).toHaveLength(4);
    const line = fallbackLogs().find((l) => l['tag'] === 'f-ctor')!;
    expect(line.level).toBe(40);
    expect(line.msg).toContain('<f-ctor> inside <f-page> on route "fallbacks" threw in its constructor on the server: constructor: document is not defined.');
    expect(line.msg).toContain('add "f-ctor" to clientOnly');
  });

  test('a root whose constructor throws fails the page, and the error names that root, not the element before it', async () => {
    const response = await server.inject('/root-throws');
    expect(response.statusCode).toBe(500);
    const line = logs.findLast((l) => l['code'] === 'ATOLL_RENDER_FAILED')!;
    expect(line.msg).toContain('Rendering <f-broken-root> on route "root-throws" threw: document is not defined');
  });

  test('in Chromium the fallbacks render in the browser, the root hydrates without errors, and an interaction works', async () => {
    const base = await server.listen({ port: 0, host: '127.0.0.1' });
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.route('**/favicon.ico', (route) => route.fulfill({ status: 204 }));
    await page.goto(base);
    await page.waitForFunction(() => !document.querySelector('f-page')!.hasAttribute('defer-hydration'));
    const text = (tag: string) => page.locator(`f-page ${tag} b`).first().textContent();
    await expect.poll(() => text('f-ctor')).toBe('f-ctor a"b');
    expect(await text('f-ok')).toBe('f-ok fine');
    expect(await text('f-will')).toBe('f-will bound');
    expect(await text('f-render')).toBe('f-render ');
    expect(await text('f-listed')).toBe('f-listed ');
    expect(await text('f-nested-client')).toBe('f-nested-client ');
    const toggle = page.locator('f-toggle button');
    expect(await toggle.textContent()).toBe('off');
    await toggle.click();
    await expect.poll(() => toggle.textContent()).toBe('on');
    expect(await page.locator('f-toggle').evaluate((e) => e.hasAttribute('on'))).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });
});
