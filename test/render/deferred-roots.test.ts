import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { parseFragment, type DefaultTreeAdapterMap } from 'parse5';
import { litComponent, startApp, writeApp, type LogLine } from '../helpers/write-app.js';
import { expectCompleteDocument, GATED_HOOK, openPage, release } from '../helpers/deferred-page.js';
import { generateSite } from '../../src/generate/generate-site.js';
import { FILL_SCRIPT, FILL_SCRIPT_BODY } from '../../src/client/fill-script.js';
import { AtollError } from '../../src/errors.js';

/**
 * Deferred roots and failure isolation over real HTTP. Every wait is on an event: a deferred
 * hook is held on a gate (a promise this test releases, reached through globalThis by the app's
 * components, which run in this process), and the test reads the response as it arrives.
 */

const GATED = GATED_HOOK;
const HOSTILE = `</template><script>alert(1)</script><!--<script>x</script>"'&`;

/**
 * Every step of a component's server render that can throw. (Its static styles are read when it
 * is defined, so a throw there is a startup error; Lit SSR does not call connectedCallback.)
 */
const STAGES = ['constructor', 'willUpdate', 'render'] as const;
const throwing = (stage: string) => `x-throw-${stage.toLowerCase()}`;
/** A component that throws HOSTILE from `stage`; its hook makes it a deferred root where it has `defer`. */
function throwingComponent(stage: (typeof STAGES)[number]): string {
  const fail = (at: string) => (at === stage ? `throw new Error(${JSON.stringify(HOSTILE)});` : '');
  return `import { LitElement, html } from 'lit';
export class C extends LitElement {
  constructor() { super(); ${fail('constructor')} }
  willUpdate() { ${fail('willUpdate')} }
  render() { ${fail('render')} return html\`<b>rendered</b>\`; }
}
customElements.define('${throwing(stage)}', C);
export const getServerData = async () => { await new Promise((r) => setImmediate(r)); return { props: {} }; };
`;
}

let server: FastifyInstance;
let logs: LogLine[];
let port: number;
let root: string;

beforeAll(async () => {
  root = writeApp({
    'app.config.json': {
      routes: [
        { id: 'deferred', path: '/deferred', contentTemplate: 'deferred.html' },
        { id: 'deferred-fail', path: '/deferred-fail', contentTemplate: 'deferred-fail.html' },
        { id: 'deferred-timeout', path: '/deferred-timeout', contentTemplate: 'deferred-timeout.html', ssrTimeout: '300ms' },
        { id: 'deferred-cached', path: '/deferred-cached', contentTemplate: 'deferred-cached.html', cache: { ttl: 60 } },
        { id: 'isolated', path: '/isolated', contentTemplate: 'isolated.html', cache: { ttl: 60 } },
        { id: 'no-fallback', path: '/no-fallback', contentTemplate: 'no-fallback.html' },
        { id: 'route-timeout', path: '/route-timeout', contentTemplate: 'route-timeout.html', ssrTimeout: 200 },
        ...STAGES.flatMap((stage) => [
          { id: `stage-${stage}`, path: `/stage-${stage}`, contentTemplate: `stage-${stage}.html`, cache: { ttl: 60 } },
          { id: `deferred-${stage}`, path: `/deferred-${stage}`, contentTemplate: `deferred-${stage}.html`, cache: { ttl: 60 } },
          { id: `bare-${stage}`, path: `/bare-${stage}`, contentTemplate: `bare-${stage}.html` },
        ]),
      ],
    },
    ...Object.fromEntries(
      STAGES.flatMap((stage) => [
        [`stage-${stage}.html`, `<x-head></x-head><${throwing(stage)} class="c"><p slot="fallback">Fallback ${stage}</p></${throwing(stage)}>`],
        [`deferred-${stage}.html`, `<x-ok></x-ok><${throwing(stage)} defer><p slot="fallback">Later ${stage}</p></${throwing(stage)}><footer>Foot</footer>`],
        [`bare-${stage}.html`, `<x-ok></x-ok><${throwing(stage)}></${throwing(stage)}>`],
        [`components/${throwing(stage)}.ts`, throwingComponent(stage)],
      ]),
    ),
    'deferred.html':
      '<h1>Top</h1><x-ok></x-ok><x-slow name="a" defer><p slot="fallback">Loading A</p></x-slow><x-slow name="b" defer hydrate><p slot="fallback">Loading B</p><span>light B</span></x-slow><footer>Foot</footer>',
    'deferred-fail.html':
      '<x-ok></x-ok><x-slow name="throw" defer><p slot="fallback">F1</p></x-slow><x-slow name="invalid" defer><p slot="fallback">F2</p></x-slow><x-slow name="late" defer timeout="50ms"><p slot="fallback">F3</p></x-slow><x-slow name="ignored" defer></x-slow>',
    'deferred-timeout.html': '<x-ok></x-ok><x-slow name="never" defer><p slot="fallback">Still loading</p></x-slow>',
    'deferred-cached.html': '<x-ok></x-ok><x-slow name="c" defer><p slot="fallback">Loading C</p></x-slow>',
    'isolated.html': '<x-head></x-head><x-fail><p slot="fallback">Fallback &amp; more</p></x-fail>',
    'no-fallback.html': '<x-ok></x-ok><x-fail></x-fail>',
    'route-timeout.html': '<x-slow name="forever"></x-slow>',
    'components/x-ok.ts': litComponent('x-ok', { render: '<b>ok</b>' }),
    'components/x-slow.ts': litComponent('x-slow', {
      properties: 'name: {}, text: {}',
      styles: 'i { color: rgb(255, 0, 0); }',
      render: '<i>${this.text}</i><slot></slot>',
      extra: GATED,
    }),
    'components/x-head.ts': litComponent('x-head', {
      render: '<b>head root</b>',
      extra: "export const getServerData = ({ query }) => ({ ...(query.kind === 'none' ? {} : { status: 203 }), markup: { title: 'From x-head' } });",
    }),
    'components/x-fail.ts': litComponent('x-fail', {
      properties: 'boom: { type: Boolean }',
      render: '${this.boom ? (() => { throw new Error("render <exploded>"); })() : "fine"}',
      extra: `export async function getServerData({ query, signal }) {
        if (query.kind === 'throw') throw new Error('source <img src=x onerror=alert(1)> down');
        if (query.kind === 'invalid') return { bogus: true };
        if (query.kind === 'timeout') return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
        if (query.kind === 'render') return { props: { boom: true } };
        return { props: { boom: false } };
      }`,
    }),
  });
  ({ server, logs } = await startApp(root));
  await server.listen({ port: 0, host: '127.0.0.1' });
  port = (server.server.address() as { port: number }).port;
});
afterAll(() => server.close());

const open = (target: string) => openPage(port, target);

type Element = DefaultTreeAdapterMap['element'];
function elements(node: DefaultTreeAdapterMap['parentNode']): Element[] {
  const out: Element[] = [];
  const children = node.nodeName === 'template' ? (node as DefaultTreeAdapterMap['template']).content.childNodes : node.childNodes;
  for (const child of children) {
    if ('tagName' in child) out.push(child, ...elements(child));
  }
  return out;
}
const attr = (element: Element, name: string) => element.attrs.find((a) => a.name === name)?.value;
const text = (node: DefaultTreeAdapterMap['parentNode']): string =>
  node.childNodes.map((c) => (c.nodeName === '#text' ? (c as DefaultTreeAdapterMap['textNode']).value : 'childNodes' in c ? text(c) : '')).join('');

describe('defer', () => {
  test('the first chunk holds the head and the whole body with fallbacks; fills follow in the order the hooks are released', async () => {
    const page = open('/deferred?run=order');
    await page.until(FILL_SCRIPT);
    // Nothing was released yet: everything but the deferred roots is there.
    expect(page.body).toContain('<title>deferred</title>');
    expect(page.body).toContain('<b>ok</b>');
    expect(page.body).toContain('<footer>Foot</footer>');
    expect(page.body).toContain('<p slot="fallback">Loading A</p>');
    expect(page.body).toMatch(
      /<x-slow\s+name="a" defer defer-hydration data-atoll-deferred="1"><template shadowroot="open" shadowrootmode="open"><slot name="fallback"><\/slot><\/template><p slot="fallback">Loading A<\/p><\/x-slow>/,
    );
    expect(page.body).not.toContain('data-atoll-fill=');
    expect(page.body).not.toContain('</html>');
    // The placeholder of the island is not an island: nothing hydrates it against its fallback.
    expect(page.body).not.toMatch(/data-atoll-island="2"/);

    release('order:b', { props: { text: 'B arrived' } });
    await page.until('data-atoll-fill="2"');
    expect(page.body).not.toContain('data-atoll-fill="1"');
    release('order:a', { props: { text: 'A arrived' } });
    const { status, headers, body } = await page.done;

    expect(status).toBe(200);
    expect(headers['cache-control']).toBe('private, no-cache');
    expect(body.indexOf('data-atoll-fill="2"')).toBeLessThan(body.indexOf('data-atoll-fill="1"'));
    const document = expectCompleteDocument(body);
    const all = elements(document);
    const fills = all.filter((e) => e.tagName === 'template' && attr(e, 'data-atoll-fill') !== undefined);
    expect(fills.map((t) => attr(t, 'data-atoll-fill'))).toEqual(['2', '1']);
    // A fill holds the root rendered: its island id, defer-hydration, its shadow root and light DOM.
    const filled = elements(fills[0]!).find((e) => e.tagName === 'x-slow')!;
    expect(attr(filled, 'data-atoll-island')).toBe('2');
    expect(attr(filled, 'defer-hydration')).toBe('');
    expect(body).toContain('<i><!--lit-part-->B arrived<!--/lit-part--></i>');
    // Its props travel with the fill, outside the template so the runtime finds them.
    const props = all.filter((e) => e.tagName === 'script' && attr(e, 'data-atoll-props') !== undefined);
    expect(props.map((s) => [attr(s, 'data-atoll-props'), text(s)])).toEqual([['2', '{"text":"B arrived"}']]);
    // One fill script per page (under 1 KB), then one fixed trigger per fill.
    expect(FILL_SCRIPT_BODY.length).toBeLessThan(1024);
    expect(body.split(FILL_SCRIPT_BODY).length).toBe(2);
    expect(body.match(/<script>atollFill\(\)<\/script>/g)).toHaveLength(2);
  });

  test('a deferred root that throws, returns an invalid result or passes its timeout keeps its fallback, and is logged', async () => {
    const page = open('/deferred-fail?run=fail');
    await page.until(FILL_SCRIPT);
    release('fail:throw', new Error('reviews down'));
    release('fail:invalid', { bogus: 1 });
    release('fail:ignored', { status: 404, redirect: { destination: '/elsewhere' }, headers: { 'x-late': '1' }, markup: { title: 'late' }, props: { text: 'used anyway' } });
    // fail:late is never released: its timeout attribute (50ms) ends it.
    const { status, body } = await page.done;
    expect(status).toBe(200);
    expectCompleteDocument(body);
    for (const fallback of ['F1', 'F2', 'F3']) expect(body).toContain(`<p slot="fallback">${fallback}</p>`);
    // Only the root whose result was usable gets a fill; the title and status stay the page's.
    expect(body.match(/data-atoll-fill="(\d)"/g)).toEqual(['data-atoll-fill="4"']);
    expect(body).toContain('used anyway');
    expect(body).toContain('<title>deferred-fail</title>');
    const line = (code: string) => logs.find((l) => l['code'] === code && l['routeId'] === 'deferred-fail');
    expect(line('ATOLL_DATA_HOOK_FAILED')).toMatchObject({ tag: 'x-slow', level: 50 });
    expect(line('ATOLL_DATA_HOOK_FAILED')!.msg).toContain('reviews down');
    expect(line('ATOLL_DATA_INVALID_RESULT')).toMatchObject({ tag: 'x-slow' });
    expect(line('ATOLL_DATA_ROOT_TIMEOUT')).toMatchObject({ tag: 'x-slow' });
    expect(line('ATOLL_DEFERRED_RESULT_IGNORED')).toMatchObject({ tag: 'x-slow' });
    expect(line('ATOLL_DEFERRED_RESULT_IGNORED')!.msg).toContain('returned redirect, status, headers, markup, which cannot take effect');
  });

  test('the page deadline (the route ssrTimeout) still ends the response: a pending deferred root keeps its fallback and the document is ended', async () => {
    const { status, body } = await open('/deferred-timeout?run=never').done;
    expect(status).toBe(200);
    expectCompleteDocument(body);
    expect(body).toContain('<p slot="fallback">Still loading</p>');
    expect(body).not.toContain('data-atoll-fill=');
    expect(logs.find((l) => l['code'] === 'ATOLL_DEFERRED_TIMEOUT')).toMatchObject({ routeId: 'deferred-timeout', tag: 'x-slow' });
    expect(logs.find((l) => l['code'] === 'ATOLL_DEFERRED_TIMEOUT')!.msg).toContain('300 ms');
  });

  test('HEAD of a page with deferred roots answers at once with the headers and no body', async () => {
    const response = await new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/deferred?run=head', method: 'HEAD' }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    });
    // Nothing was released: the hooks are still held, yet the response is complete.
    expect(response).toMatchObject({ status: 200, body: '' });
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    release('head:a', { props: { text: 'A' } });
    release('head:b', { props: { text: 'B' } });
  });

  test('a cacheable page with deferred roots is stored complete once its last fill was sent; a hit sends it whole', async () => {
    const first = open('/deferred-cached?run=cache');
    await first.until(FILL_SCRIPT);
    release('cache:c', { props: { text: 'cached C' }, cache: { ttl: 30 } });
    const streamed = await first.done;
    expect(streamed.headers['x-atoll-cache']).toBe('bypass');
    expect(streamed.headers['cache-control']).toBe('private, no-cache');
    const hit = await open('/deferred-cached?run=cache').done;
    expect(hit.headers['x-atoll-cache']).toBe('hit');
    expect(hit.headers['content-length']).toBe(String(Buffer.byteLength(streamed.body)));
    // The shortest TTL, the deferred root's included, is the page's.
    expect(hit.headers['cache-control']).toMatch(/^public, max-age=(30|29)/);
    expect(hit.body).toBe(streamed.body);
    // Production: neither the streamed page nor its hit carries the live-reload client.
    expect(hit.body).not.toContain('EventSource');
    expectCompleteDocument(hit.body);
  });

  test('hostile values from a deferred hook stay text in its fill and JSON in its props', async () => {
    const page = open('/deferred?run=hostile');
    await page.until(FILL_SCRIPT);
    release('hostile:a', { props: { text: HOSTILE } });
    release('hostile:b', { props: { text: HOSTILE } });
    const { body } = await page.done;
    const document = expectCompleteDocument(body);
    const all = elements(document);
    // Exactly the scripts Atoll writes: the module boot script, the fill script, one props script, two triggers.
    expect(all.filter((e) => e.tagName === 'script').length).toBe(5);
    const fills = all.filter((e) => e.tagName === 'template' && attr(e, 'data-atoll-fill') !== undefined);
    expect(fills).toHaveLength(2);
    for (const fill of fills) {
      const italic = elements(fill).find((e) => e.tagName === 'i')!;
      expect(text(italic)).toBe(HOSTILE);
    }
    const props = all.find((e) => e.tagName === 'script' && attr(e, 'data-atoll-props') === '2')!;
    expect(JSON.parse(text(props))).toEqual({ text: HOSTILE });
  });
});

describe('failure isolation', () => {
  test.each([
    ['throw', 'ATOLL_DATA_HOOK_FAILED'],
    ['invalid', 'ATOLL_DATA_INVALID_RESULT'],
    ['render', 'ATOLL_RENDER_FAILED'],
  ])('a root with a fallback whose %s fails shows its fallback; status and head come from the other roots; not cached, not public', async (kind, code) => {
    const before = logs.length;
    const response = await server.inject(`/isolated?kind=${kind}`);
    expect(response.statusCode).toBe(203);
    expectCompleteDocument(response.body);
    expect(response.body).toContain('<title>From x-head</title>');
    expect(response.body).toMatch(
      /<x-fail\s+defer-hydration><template shadowroot="open" shadowrootmode="open"><slot name="fallback"><\/slot><\/template><p slot="fallback">Fallback &amp; more<\/p><\/x-fail>/,
    );
    expect(response.body).not.toContain('onerror');
    expect(response.headers['cache-control']).toBe('private, no-cache');
    expect(response.headers['x-atoll-cache']).toBe('bypass');
    expect((await server.inject(`/isolated?kind=${kind}`)).headers['x-atoll-cache']).toBe('bypass');
    const line = logs.slice(before).find((l) => l['code'] === code)!;
    expect(line).toMatchObject({ routeId: 'isolated', tag: 'x-fail', level: 50 });
    expect(line.msg).toContain('<x-fail> shows its fallback.');
    expect(line['err']).toBeDefined();
  });

  describe.each(STAGES)('a root with a fallback whose %s throws on the server', (stage) => {
    const tag = throwing(stage);
    const expectLogged = (before: number, routeId: string) => {
      const line = logs.slice(before).find((l) => l['code'] === 'ATOLL_RENDER_FAILED' && l['routeId'] === routeId)!;
      expect(line).toMatchObject({ tag, level: 50 });
      expect(line.msg).toContain(`<${tag}> shows its fallback.`);
      expect(line.msg).toContain(HOSTILE);
      expect(JSON.stringify(line['err'])).toContain(JSON.stringify(HOSTILE).slice(1, -1));
    };

    test('shows its fallback; status and head come from the other root; logged; not cached, not public', async () => {
      const before = logs.length;
      const response = await server.inject(`/stage-${stage}`);
      expect(response.statusCode).toBe(203);
      const document = expectCompleteDocument(response.body);
      expect(response.body).toContain('<title>From x-head</title>');
      const [body] = /<body>[\s\S]*<\/body>/.exec(response.body)!;
      expect(body).toMatch(
        new RegExp(
          `<${tag}\\s+class="c" defer-hydration><template shadowroot="open" shadowrootmode="open"><slot name="fallback"></slot></template><p slot="fallback">Fallback ${stage}</p></${tag}>`,
        ),
      );
      expect(body).not.toContain('<b>rendered</b>');
      expect(body).not.toContain('alert(1)');
      expect(elements(document).filter((e) => e.tagName === tag)).toHaveLength(1);
      expect(response.headers['cache-control']).toBe('private, no-cache');
      expect(response.headers['x-atoll-cache']).toBe('bypass');
      expect((await server.inject(`/stage-${stage}`)).headers['x-atoll-cache']).toBe('bypass');
      expectLogged(before, `stage-${stage}`);
    });

    test('deferred: the first chunk holds its fallback, no fill follows, and the document ends properly', async () => {
      const before = logs.length;
      const { status, headers, body } = await open(`/deferred-${stage}`).done;
      expect(status).toBe(200);
      expect(headers['cache-control']).toBe('private, no-cache');
      const document = expectCompleteDocument(body);
      expect(body).toContain(`<p slot="fallback">Later ${stage}</p></${tag}><footer>Foot</footer>`);
      expect(body).not.toContain('data-atoll-fill=');
      expect(body).not.toContain('<b>rendered</b>');
      expect(body).not.toContain('alert(1)');
      expect(elements(document).filter((e) => e.tagName === tag)).toHaveLength(1);
      expectLogged(before, `deferred-${stage}`);
      expect((await open(`/deferred-${stage}`).done).headers['x-atoll-cache']).toBe('bypass');
    });

    test('without a fallback it is still the page 500', async () => {
      expect((await server.inject(`/bare-${stage}`)).statusCode).toBe(500);
    });
  });

  test('development mode shows the escaped error of a throwing constructor or render in place of the fallback, inline and in a fill', async () => {
    const dev = await startApp(root, { mode: 'development' });
    try {
      const escaped = (tag: string, route: string) =>
        `<pre style="white-space:pre-wrap;color:#b00020;border:1px solid;padding:.5em">ATOLL_RENDER_FAILED: Rendering &lt;${tag}&gt; on route &quot;${route}&quot; threw: &lt;/template&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;!--&lt;script&gt;x&lt;/script&gt;&quot;&#39;&amp;\n`;
      const inline = await dev.server.inject('/stage-constructor');
      expect(inline.statusCode).toBe(203);
      expectCompleteDocument(inline.body);
      expect(inline.body).toContain(escaped('x-throw-constructor', 'stage-constructor'));
      expect(inline.body).not.toContain('alert(1)</script>');
      await dev.server.listen({ port: 0, host: '127.0.0.1' });
      const devPort = (dev.server.server.address() as { port: number }).port;
      // Deferred: the placeholder shows the fallback, the fill holds the error.
      for (const stage of ['constructor', 'render']) {
        const tag = throwing(stage);
        const { body } = await openPage(devPort, `/deferred-${stage}`).done;
        const document = expectCompleteDocument(body);
        expect(body).toContain(`<p slot="fallback">Later ${stage}</p></${tag}><footer>Foot</footer>`);
        const fills = elements(document).filter((e) => e.tagName === 'template' && attr(e, 'data-atoll-fill') !== undefined);
        expect(fills.map((t) => attr(t, 'data-atoll-fill'))).toEqual(['1']);
        expect(body).toMatch(
          new RegExp(
            `<template data-atoll-fill="1"><!--lit-part [^>]+--><!--lit-node 0--><${tag}\\s+defer defer-hydration><template shadowroot="open" shadowrootmode="open"><pre `,
          ),
        );
        expect(body).toContain(escaped(tag, `deferred-${stage}`));
        expect(body).not.toContain('alert(1)</script>');
      }
    } finally {
      await dev.server.close();
    }
  });

  test('the same page with nothing failing is public and stored', async () => {
    await server.inject('/isolated?kind=none');
    const second = await server.inject('/isolated?kind=none');
    expect(second.headers['x-atoll-cache']).toBe('hit');
    expect(second.body).toContain('fine');
  });

  test('a root without a fallback keeps the old rule: its failure is the page 500', async () => {
    const response = await server.inject('/no-fallback?kind=throw');
    expect(response.statusCode).toBe(500);
  });

  test('a route ssrTimeout (a number of ms) overrides SSR_TIMEOUT', async () => {
    const response = await server.inject('/route-timeout?run=forever');
    expect(response.statusCode).toBe(500);
    const line = logs.find((l) => l['code'] === 'ATOLL_DATA_TIMEOUT' && l['routeId'] === 'route-timeout')!;
    expect(line.msg).toContain('within 200 ms');
    expect(line.msg).toContain('<x-slow>');
  });

  test('development mode shows the escaped error in place of the fallback', async () => {
    const dev = await startApp(root, { mode: 'development' });
    try {
      const response = await dev.server.inject('/isolated?kind=throw');
      expect(response.statusCode).toBe(203);
      expect(response.body).toContain(
        'ATOLL_DATA_HOOK_FAILED: getServerData of &lt;x-fail&gt; on route &quot;isolated&quot; threw: source &lt;img src=x onerror=alert(1)&gt; down',
      );
      expect(response.body).not.toContain('<img');
      expectCompleteDocument(response.body);
    } finally {
      await dev.server.close();
    }
  });
});

describe('per-root timeout', () => {
  // Each app its own tag: a process defines a tag once, and every app here loads its own copy.
  let apps = 0;
  const timeoutApp = (template: string) => {
    const tag = `x-wait${++apps}`;
    return writeApp({
      'app.config.json': { routes: [{ id: 'p', path: '/p', contentTemplate: 'p.html' }] },
      'p.html': template.replaceAll('x-wait', tag),
      [`components/${tag}.ts`]: litComponent(tag, {
        render: 'done',
        extra: `export const getServerData = ({ signal }) => new Promise((resolve, reject) => signal.addEventListener('abort', () => { globalThis.__streamAborted = signal.reason?.name; reject(signal.reason); }));`,
      }),
    });
  };

  test('timeout="…" bounds the root: past it its signal aborts, and with a fallback the page renders', async () => {
    const app = await startApp(timeoutApp('<x-wait timeout="30ms"><em slot="fallback">slow source</em></x-wait>'));
    try {
      const response = await app.server.inject('/p');
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('<em slot="fallback">slow source</em>');
      expect((globalThis as Record<string, unknown>)['__streamAborted']).toBe('TimeoutError');
      expect(app.logs.find((l) => l['code'] === 'ATOLL_DATA_ROOT_TIMEOUT')).toMatchObject({ routeId: 'p', tag: expect.stringMatching(/^x-wait\d$/) });
    } finally {
      await app.server.close();
    }
  });

  test('without a fallback a root timeout is the page 500', async () => {
    const app = await startApp(timeoutApp('<x-wait timeout="1ms"></x-wait>'));
    try {
      expect((await app.server.inject('/p')).statusCode).toBe(500);
      expect(app.logs.find((l) => l['code'] === 'ATOLL_DATA_ROOT_TIMEOUT')).toMatchObject({ routeId: 'p', tag: expect.stringMatching(/^x-wait\d$/) });
    } finally {
      await app.server.close();
    }
  });

  test.each([
    ['<x-wait timeout="800"></x-wait>', 'timeout="800"> is not a duration'],
    ['<x-wait timeout="0ms"></x-wait>', 'timeout="0ms"> is not a duration'],
    ['<x-wait defer><x-wait></x-wait></x-wait>', '<x-wait> is inside a deferred root'],
  ])('a template with %s is refused at startup', async (template, problem) => {
    const error = await startApp(timeoutApp(template)).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(AtollError.is(error) && error.code).toBe('ATOLL_TEMPLATE_INVALID');
    expect((error as Error).message.replace(/x-wait\d/g, 'x-wait')).toContain(problem);
  });

  test('a route ssrTimeout that is not a duration is a config error naming its JSON path', async () => {
    const app = writeApp({
      'app.config.json': { routes: [{ id: 'p', path: '/p', contentTemplate: 'p.html', ssrTimeout: 'soon' }] },
      'p.html': '<p>x</p>',
    });
    const error = await startApp(app).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(AtollError.is(error) && error.code).toBe('ATOLL_CONFIG_INVALID');
    expect((error as Error).message).toContain('routes[0].ssrTimeout: "soon" is not a duration');
  });
});

test('npm run generate renders deferred roots inline: the static page is complete, with no fills', async () => {
  const app = writeApp({
    'app.config.json': { routes: [{ id: 'home', path: '/', contentTemplate: 'home.html' }] },
    'home.html': '<x-late defer><p slot="fallback">Loading</p></x-late>',
    'components/x-late.ts': litComponent('x-late', {
      properties: 'text: {}',
      render: '<i>${this.text}</i>',
      extra: "export const getServerData = async () => { await new Promise((r) => setImmediate(r)); return { props: { text: 'inline' } }; };",
    }),
  });
  const out = mkdtempSync(path.join(tmpdir(), 'atoll-site-'));
  await generateSite({ root: app, outDir: out, concurrency: 1, ssrTimeoutMs: 5000 });
  const html = readFileSync(path.join(out, 'index.html'), 'utf8');
  expectCompleteDocument(html);
  expect(html).toContain('<i><!--lit-part-->inline<!--/lit-part--></i>');
  expect(html).not.toContain('data-atoll-fill');
  expect(html).not.toContain('data-atoll-deferred');
  expect(html).not.toContain(FILL_SCRIPT_BODY);
  expect(parseFragment(html).childNodes.length).toBeGreaterThan(0);
});
