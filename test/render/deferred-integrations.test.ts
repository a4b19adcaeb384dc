import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { litComponent, startApp, writeApp, type LogLine } from '../helpers/write-app.js';
import { expectCompleteDocument, GATED_HOOK, openPage, release } from '../helpers/deferred-page.js';
import { freePort, redisClient, redisServer } from '../helpers/redis-server.js';
import { createServer } from '../../src/server/create-server.js';
import { FILL_SCRIPT } from '../../src/client/fill-script.js';

/**
 * Deferred roots together with the rest of the server: compression, form actions, locales and
 * the Redis tier of the page cache. Every wait is on an event (a held hook the test releases, a
 * key appearing in Redis), never on elapsed time. Tags are unique to this file.
 */

// Message id of 'Hello' as `lit-localize extract` computes it (generateMsgId of @lit/localize).
const HELLO = 's63f0bfacf2c00f6b';
const FOOTER = '<footer>rest of the page</footer>';

let server: FastifyInstance;
let logs: LogLine[];
let port: number;

beforeAll(async () => {
  const root = writeApp({
    'app.config.json': {
      i18n: { defaultLocale: 'en', locales: ['en', 'fr'], uriPattern: 'path-prefix' },
      routes: [
        { id: 'big', path: '/big', contentTemplate: 'big.html' },
        { id: 'form', path: '/form', contentTemplate: 'form.html' },
        { id: 'hello', path: '/hello', contentTemplate: 'hello.html' },
      ],
    },
    // Over the compression threshold before the fills: the first part alone is compressed.
    'big.html': `<di-ok></di-ok>${'<p>filler text for compression</p>'.repeat(60)}<di-slow name="z" defer><p slot="fallback">Loading Z</p></di-slow>${FOOTER}`,
    'form.html': '<di-form></di-form><di-result name="r" defer><p slot="fallback">Loading result</p></di-result>',
    'hello.html': `<di-hello name="h" defer><p slot="fallback">…</p></di-hello>${FOOTER}`,
    'components/di-ok.ts': litComponent('di-ok', { render: '<b>ok</b>' }),
    'components/di-slow.ts': litComponent('di-slow', { properties: 'text: {}', render: '<i>${this.text}</i>', extra: GATED_HOOK }),
    'components/di-form.ts': litComponent('di-form', {
      render: '<form method="post" action="?/save"><button>save</button></form>',
      extra: `export const actions = { save({ form }) { return { status: 422, data: { error: 'name <required>', kept: form.name } }; } };`,
    }),
    'components/di-result.ts': litComponent('di-result', {
      properties: 'text: {}',
      render: '<output>${this.text}</output>',
      extra: `export async function getServerData({ props, query, actionResult, method }) {
        await globalThis.__streamGate(query.run + ':' + props.name);
        return { props: { text: method + ' ' + JSON.stringify(actionResult ?? null) } };
      }`,
    }),
    'components/di-hello.ts': `import { LitElement, html } from 'lit';
import { msg } from '@lit/localize';
export class C extends LitElement {
  static properties = { locale: {} };
  render() { return html\`<p>\${msg('Hello')} (\${this.locale})</p>\`; }
}
customElements.define('di-hello', C);
export async function getServerData({ props, query, locale }) {
  await globalThis.__streamGate(query.run + ':' + locale);
  return { props: { locale } };
}
`,
    'locales/fr.ts': `import { html } from 'lit';
export const templates = { '${HELLO}': \`Bonjour\` };
`,
  });
  ({ server, logs } = await startApp(root));
  await server.listen({ port: 0, host: '127.0.0.1' });
  port = (server.server.address() as { port: number }).port;
});
afterAll(() => server.close());

describe('deferred roots and compression', () => {
  for (const encoding of ['gzip', 'br']) {
    test(`${encoding}: the compressed stream flushes the whole main body before the held fill`, async () => {
      const page = openPage(port, `/big?run=${encoding}`, { 'accept-encoding': encoding });
      // Decompressed as it arrives: the body is complete while the deferred hook is still held.
      await page.until(FILL_SCRIPT);
      expect(page.body).toContain('<b>ok</b>');
      expect(page.body).toContain(FOOTER);
      expect(page.body).toContain('<p slot="fallback">Loading Z</p>');
      expect(page.body).not.toContain('data-atoll-fill=');
      release(`${encoding}:z`, { props: { text: `Z by ${encoding}` } });
      const { headers, body } = await page.done;
      expect(headers['content-encoding']).toBe(encoding);
      expect(body).toContain(`<i><!--lit-part-->Z by ${encoding}<!--/lit-part--></i>`);
      expectCompleteDocument(body);
    });
  }
});

describe('deferred roots and form actions', () => {
  test('a POST that renders the page again streams the deferred root, which sees the action result; never cached', async () => {
    const page = postPage('/form?/save&run=post', 'name=%3Cb%3EAnn');
    await page.until(FILL_SCRIPT);
    expect(page.body).toContain('<p slot="fallback">Loading result</p>');
    expect(page.body).not.toContain('data-atoll-fill=');
    release('post:r', undefined);
    const { status, headers, body } = await page.done;
    expect(status).toBe(422);
    expect(headers['cache-control']).toBe('no-store');
    expectCompleteDocument(body);
    // The action's data reached the deferred hook and is escaped in its fill.
    expect(body).toContain(
      'POST {&quot;action&quot;:&quot;save&quot;,&quot;status&quot;:422,&quot;data&quot;:{&quot;error&quot;:&quot;name &lt;required&gt;&quot;,&quot;kept&quot;:&quot;&lt;b&gt;Ann&quot;}}',
    );
  });
});

describe('deferred roots and locales', () => {
  test('each fill renders in its request’s locale, also when the fills of two locales arrive crossed', async () => {
    const fr = openPage(port, '/fr/hello?run=cross');
    const en = openPage(port, '/hello?run=cross');
    await Promise.all([fr.until(FILL_SCRIPT), en.until(FILL_SCRIPT)]);
    release('cross:en', undefined);
    await en.until('data-atoll-fill=');
    release('cross:fr', undefined);
    const [frPage, enPage] = await Promise.all([fr.done, en.done]);
    expect(frPage.body).toContain('<p><!--lit-part-->Bonjour<!--/lit-part--> (<!--lit-part-->fr<!--/lit-part-->)</p>');
    expect(enPage.body).toContain('<p><!--lit-part-->Hello<!--/lit-part--> (<!--lit-part-->en<!--/lit-part-->)</p>');
    expect(frPage.body).toContain('<html lang="fr">');
    for (const page of [frPage, enPage]) expectCompleteDocument(page.body);
    expect(logs.filter((l) => l.level >= 50)).toEqual([]);
  });
});

describe('deferred roots and the Redis tier', () => {
  let url: string;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    const running = redisServer(await freePort());
    await running.start();
    url = running.url;
    stop = running.kill;
  });
  afterAll(() => stop());

  test('a cacheable deferred page stored complete by one instance is a whole hit on another', async () => {
    const root = writeApp({
      'app.config.json': { routes: [{ id: 'shared', path: '/shared', contentTemplate: 'shared.html', cache: { ttl: 60 } }] },
      'shared.html': `<dr-ok></dr-ok><dr-slow name="s" defer><p slot="fallback">Loading S</p></dr-slow>${FOOTER}`,
      'components/dr-ok.ts': litComponent('dr-ok', { render: '<b>ok</b>' }),
      'components/dr-slow.ts': litComponent('dr-slow', { properties: 'text: {}', render: '<i>${this.text}</i>', extra: GATED_HOOK }),
    });
    const options = { root, mode: 'production' as const, ssrTimeoutMs: 5000, logLevel: 'silent', overload: { maxEventLoopDelayMs: 0 }, redis: { url, prefix: 'atoll-deferred:' } };
    const [a, b] = [await createServer(options), await createServer(options)];
    const client = await redisClient(url);
    try {
      const ports = [];
      for (const s of [a, b]) {
        await s.listen({ port: 0, host: '127.0.0.1' });
        ports.push((s.server.address() as { port: number }).port);
      }
      const first = openPage(ports[0]!, '/shared?run=redis');
      await first.until(FILL_SCRIPT);
      release('redis:s', { props: { text: 'S arrived' } });
      const streamed = await first.done;
      expect(streamed.headers['x-atoll-cache']).toBe('bypass');
      // The complete page reaches Redis once the last fill was sent: wait for its key.
      for (;;) {
        const keys = await client.keys('atoll-deferred:*:page:*');
        if (keys.length > 0) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      const hit = await openPage(ports[1]!, '/shared?run=redis').done;
      expect(hit.headers['x-atoll-cache']).toBe('hit');
      expect(hit.body).toBe(streamed.body);
      expect(hit.headers['content-length']).toBe(String(Buffer.byteLength(streamed.body)));
      expect(hit.body).toContain('<i><!--lit-part-->S arrived<!--/lit-part--></i>');
      expectCompleteDocument(hit.body);
    } finally {
      await client.close();
      await Promise.all([a.close(), b.close()]);
    }
  });
});

/** A same-origin form POST over a real socket, read as it arrives. */
function postPage(target: string, form: string) {
  return openPage(port, target, { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(form)) }, { method: 'POST', body: form });
}

describe('deferred roots, cache tags and stale-while-revalidate', () => {
  let tagged: FastifyInstance;
  let taggedPort: number;
  let clock = 1_000_000;
  beforeAll(async () => {
    const root = writeApp({
      'app.config.json': {
        routes: [{ id: 'tagged', path: '/tagged', contentTemplate: 'tagged.html', cache: { ttl: 60, tags: ['shop'] } }],
        pageCache: { tagHeader: 'Cache-Tag', maxStale: '1 hour' },
      },
      'tagged.html': '<dt-ok></dt-ok><dt-slow name="t" defer><p slot="fallback">Loading T</p></dt-slow>',
      'components/dt-ok.ts': litComponent('dt-ok', { render: '<b>ok</b>' }),
      // The deferred root tags the page and has its own, shorter TTL.
      'components/dt-slow.ts': litComponent('dt-slow', {
        properties: 'text: {}',
        render: '<i>${this.text}</i>',
        extra: `export const getServerData = async ({ props, query }) => ({ props: { text: await globalThis.__streamGate(query.run + ':' + props.name) }, cache: { ttl: 10, tags: ['reviews'] } });`,
      }),
    });
    ({ server: tagged } = await startApp(root, { now: () => clock, purgeToken: 'deferred-token' }));
    await tagged.listen({ port: 0, host: '127.0.0.1' });
    taggedPort = (tagged.server.address() as { port: number }).port;
  });
  afterAll(() => tagged.close());

  test('the page stored complete carries the deferred root’s tags; a purge by that tag reaches it; a stale hit refreshes it whole', async () => {
    const first = openPage(taggedPort, '/tagged?run=tag1');
    await first.until(FILL_SCRIPT);
    // Sent before the deferred root answered: only the tags known then.
    expect(first.body).not.toContain('data-atoll-fill=');
    release('tag1:t', 'first text');
    const streamed = await first.done;
    expect(streamed.headers['cache-tag']).toBe('tagged,shop');
    const hit = await tagged.inject('/tagged?run=tag1');
    expect(hit.headers['x-atoll-cache']).toBe('hit');
    expect(hit.headers['cache-tag']).toBe('tagged,shop,reviews');
    expect(hit.headers['cache-control']).toMatch(/^public, max-age=10\b/);

    // Past the deferred root's TTL: the stale page is sent at once and one refresh renders the
    // page again, its deferred root included (its stream is drained by the cache, not a client;
    // its gate was released above, so the hook answers at once). The loop waits for that store.
    clock += 11_000;
    const stale = await tagged.inject('/tagged?run=tag1');
    expect(stale.headers['x-atoll-cache']).toBe('stale');
    expect(stale.body).toContain('first text');
    for (;;) {
      const next = await tagged.inject('/tagged?run=tag1');
      if (next.headers['x-atoll-cache'] === 'hit') {
        expectCompleteDocument(next.body);
        expect(next.body).toContain('first text');
        break;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }

    const purged = await tagged.inject({
      method: 'POST',
      url: '/_atoll/purge',
      headers: { authorization: 'Bearer deferred-token', 'content-type': 'application/json' },
      payload: JSON.stringify({ tags: ['reviews'] }),
    });
    expect(purged.statusCode).toBe(200);
    expect((await tagged.inject('/tagged?run=tag1')).headers['x-atoll-cache']).not.toBe('hit');
  });
});
