import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { litComponent, startApp, writeApp, type LogLine } from '../helpers/write-app.js';

/** Every data hook counts its calls here, so a test can tell a rendered page from a cached one. */
const calls = () => (globalThis as unknown as { __renders: Record<string, number> }).__renders;
const counter = (name: string) => `(globalThis.__renders ??= {})['${name}'] = ((globalThis.__renders ??= {})['${name}'] ?? 0) + 1;`;

let server: FastifyInstance;
let logs: LogLine[];
let clock = 1_000_000;
const at = (ms: number) => (clock = ms);
const get = (url: string, headers: Record<string, string> = {}) => server.inject({ url, headers });

const root = writeApp({
  'app.config.json': {
    routes: [
      { id: 'page', path: '/page/:id', contentTemplate: 'page.html', cache: { ttl: 10 } },
      { id: 'personal', path: '/me', contentTemplate: 'personal.html', cache: { ttl: 10 } },
      { id: 'cookie-cart', path: '/cart-count', contentTemplate: 'cookie-cart.html', cache: { ttl: 10 } },
      { id: 'flaky', path: '/flaky', contentTemplate: 'flaky.html', cache: { ttl: 10 } },
      { id: 'nottl', path: '/nottl', contentTemplate: 'nottl.html' },
      { id: 'slow', path: '/slow', contentTemplate: 'slow.html', cache: { ttl: 10 } },
    ],
    i18n: { defaultLocale: 'en', locales: ['en', 'fr'] },
    pageCache: { maxEntries: 50, maxStale: '5s' },
  },
  'page.html': '<c-page></c-page>',
  'personal.html': '<c-personal></c-personal>',
  'cookie-cart.html': '<c-cookie-cart></c-cookie-cart>',
  'flaky.html': '<c-flaky></c-flaky>',
  'nottl.html': '<c-page></c-page>',
  'slow.html': '<c-slow></c-slow>',
  'components/c-page.ts': litComponent('c-page', {
    properties: 'text: {}',
    render: '${this.text}',
    extra: `export const getServerData = ({ params, query, locale, url }) => { ${counter('page')} return { props: { text: [params.id, JSON.stringify(query), locale, globalThis.__renders.page].join('|') } }; };`,
  }),
  'components/c-personal.ts': litComponent('c-personal', {
    properties: 'who: {}',
    render: '${this.who}',
    extra: `export const getServerData = ({ headers }) => { ${counter('personal')} return { props: { who: headers['x-user'] ?? 'anon' } }; };`,
  }),
  'components/c-cookie-cart.ts': litComponent('c-cookie-cart', {
    properties: 'text: {}',
    render: '${this.text}',
    extra: `export const getServerData = ({ cookies }) => { ${counter('cookies')} return { props: { text: [cookies.cart ?? 'none', Object.keys(cookies).join(','), typeof cookies.toString, String({}.polluted)].join('|') } }; };`,
  }),
  'components/c-flaky.ts': litComponent('c-flaky', {
    properties: 'n: {}',
    render: 'n=${this.n}',
    extra: `export const getServerData = () => { ${counter('flaky')} if (globalThis.__failFlaky) throw new Error('source down'); return { props: { n: String(globalThis.__renders.flaky) } }; };`,
  }),
  'components/c-slow.ts': litComponent('c-slow', {
    properties: 'n: {}',
    render: 'n=${this.n}',
    extra: `export const getServerData = () => { ${counter('slow')} const n = String(globalThis.__renders.slow); return new Promise((r) => setTimeout(() => r({ props: { n } }), 100)); };`,
  }),
});

beforeAll(async () => {
  ({ server, logs } = await startApp(root, { now: () => clock }));
});
afterAll(() => server.close());

describe('keying', () => {
  test('the same route, normalised path, sorted query and locale share one entry; anything else does not', async () => {
    at(1_000_000);
    const first = await get('/page/A?b=2&a=1&a=0');
    expect(first.headers['x-atoll-cache']).toBe('miss');
    const rendersAfterFirst = calls()['page'];
    for (const url of ['/page/A?a=1&b=2&a=0', '/page/%41?a=1&a=0&b=2']) {
      const again = await get(url);
      expect(again.headers['x-atoll-cache'], url).toBe('hit');
      expect(again.body).toBe(first.body);
    }
    expect(calls()['page']).toBe(rendersAfterFirst);
    for (const [url, headers] of [
      ['/page/A?a=0&a=1&b=2', {}],
      ['/page/A?b=2&a=1&a=0&c=3', {}],
      ['/page/B?b=2&a=1&a=0', {}],
      ['/page/A?b=2&a=1&a=0', { 'accept-language': 'fr' }],
    ] as const) {
      expect((await get(url, headers)).headers['x-atoll-cache'], `${url} ${JSON.stringify(headers)}`).toBe('miss');
    }
  });
});

describe('expiry and stale-while-revalidate', () => {
  test('fresh until the TTL, then stale (served at once, one background refresh), then a miss past maxStale', async () => {
    at(2_000_000);
    const miss = await get('/page/ttl');
    expect(miss.headers).toMatchObject({ 'x-atoll-cache': 'miss', 'cache-control': 'public, max-age=10, stale-while-revalidate=5', age: '0' });
    at(2_004_000);
    const hit = await get('/page/ttl');
    expect(hit.headers).toMatchObject({ 'x-atoll-cache': 'hit', 'cache-control': 'public, max-age=6, stale-while-revalidate=5', age: '4' });
    const before = calls()['page']!;
    at(2_011_000);
    const stale = await Promise.all([get('/page/ttl'), get('/page/ttl'), get('/page/ttl')]);
    expect(stale.map((r) => r.headers['x-atoll-cache'])).toEqual(['stale', 'stale', 'stale']);
    expect(stale[0]!.body).toBe(miss.body);
    expect(stale[0]!.headers['cache-control']).toBe('public, max-age=0, stale-while-revalidate=5');
    await expect.poll(async () => (await get('/page/ttl')).headers['x-atoll-cache']).toBe('hit');
    expect(calls()['page']).toBe(before + 1);
    expect((await get('/page/ttl')).body).not.toBe(miss.body);
    at(2_011_000 + 16_000);
    expect((await get('/page/ttl')).headers['x-atoll-cache']).toBe('miss');
  });

  test('a refresh that fails keeps serving the stale page until maxStale runs out', async () => {
    at(3_000_000);
    const first = await get('/flaky');
    expect(first.headers['x-atoll-cache']).toBe('miss');
    (globalThis as Record<string, unknown>)['__failFlaky'] = true;
    at(3_012_000);
    const stale = await get('/flaky');
    expect(stale.headers['x-atoll-cache']).toBe('stale');
    // The refresh runs in the background; once it has failed, the stale page is still served.
    await expect.poll(() => logs.some((l) => l['code'] === 'ATOLL_DATA_HOOK_FAILED' && l['routeId'] === 'flaky'), { timeout: 10_000 }).toBe(true);
    expect((await get('/flaky')).body).toBe(first.body);
    at(3_016_000);
    const failed = await get('/flaky');
    expect(failed.statusCode).toBe(500);
    expect(failed.headers['cache-control']).toBe('no-store');
    expect(failed.headers['x-atoll-cache']).toBe('bypass');
    (globalThis as Record<string, unknown>)['__failFlaky'] = false;
  });
});

describe('coalescing', () => {
  test('concurrent misses of a cacheable page render once', async () => {
    at(4_000_000);
    const first = await Promise.all([get('/slow'), get('/slow')]);
    expect(first.map((r) => r.statusCode)).toEqual([200, 200]);
    at(4_000_000 + 16_000); // expired past maxStale: the next misses are known-cacheable
    const before = calls()['slow']!;
    const burst = await Promise.all(Array.from({ length: 8 }, () => get('/slow')));
    expect(calls()['slow']).toBe(before + 1);
    expect(new Set(burst.map((r) => r.body)).size).toBe(1);
    expect(burst.map((r) => r.headers['x-atoll-cache'])).toEqual(Array(8).fill('miss'));
  });
});

describe('what is never stored', () => {
  test('a page whose hooks read request headers is private and rendered for every visitor', async () => {
    at(5_000_000);
    const ann = await get('/me', { 'x-user': 'ann' });
    const bob = await get('/me', { 'x-user': 'bob' });
    expect(ann.body).toContain('ann');
    expect(bob.body).toContain('bob');
    expect(ann.headers['cache-control']).toBe('private, max-age=10');
    expect(ann.headers['x-atoll-cache']).toBe('bypass');
    expect(ann.headers['etag']).toBeUndefined();
    expect(calls()['personal']).toBe(2);
  });

  test('a page whose hooks read cookies is private and rendered for every visitor; cookie names like __proto__ are data', async () => {
    at(5_100_000);
    const ann = await get('/cart-count', { cookie: 'cart=3; __proto__=polluted; constructor=x; cart=9' });
    const bob = await get('/cart-count', { cookie: 'cart=%C3%A9' });
    const nobody = await get('/cart-count');
    expect(ann.body).toContain('<!--lit-part-->3|cart,__proto__,constructor|undefined|undefined<!--/lit-part-->');
    expect(bob.body).toContain('<!--lit-part-->é|cart|undefined|undefined<!--/lit-part-->');
    expect(nobody.body).toContain('<!--lit-part-->none||undefined|undefined<!--/lit-part-->');
    for (const response of [ann, bob, nobody]) {
      expect(response.headers['cache-control']).toBe('private, max-age=10');
      expect(response.headers['x-atoll-cache']).toBe('bypass');
    }
    expect(calls()['cookies']).toBe(3);
  });

  test('pages without a TTL and error responses are not stored', async () => {
    const a = await get('/nottl');
    const b = await get('/nottl');
    expect([a.headers['x-atoll-cache'], b.headers['x-atoll-cache']]).toEqual(['bypass', 'bypass']);
    expect(b.headers['cache-control']).toBe('private, no-cache');
    const missing = await get('/nowhere');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['x-atoll-cache']).toBeUndefined();
  });
});

describe('ETag and 304', () => {
  test('stored pages carry an ETag; If-None-Match with it gets 304 without a body', async () => {
    at(6_000_000);
    const page = await get('/page/etag');
    const etag = page.headers['etag'] as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    const again = await get('/page/etag', { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers['etag']).toBe(etag);
    expect(again.headers['cache-control']).toBe('public, max-age=10, stale-while-revalidate=5');
    expect((await get('/page/etag', { 'if-none-match': `W/${etag}, "other"` })).statusCode).toBe(304);
    expect((await get('/page/etag', { 'if-none-match': '"other"' })).statusCode).toBe(200);
  });

  test('the request log line says hit, miss or stale', async () => {
    await get('/page/log-line');
    await get('/page/log-line');
    const lines = logs.filter((l) => l.msg === 'request' && l['url'] === '/page/log-line').map((l) => l['cache']);
    expect(lines).toEqual(['miss', 'hit']);
  });
});

test('pageCache.enabled false turns it off', async () => {
  const off = writeApp({
    'app.config.json': { routes: [{ id: 'p', path: '/', contentTemplate: 'p.html', cache: { ttl: 60 } }], pageCache: { enabled: false } },
    'p.html': '<p>static</p>',
  });
  const { server: plain } = await startApp(off);
  const response = await plain.inject('/');
  expect(response.headers['x-atoll-cache']).toBeUndefined();
  expect(response.headers['cache-control']).toBe('public, max-age=60');
  await plain.close();
});
