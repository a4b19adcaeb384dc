import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { litComponent, startApp, writeApp, type LogLine } from '../helpers/write-app.js';

const TOKEN = 'tags-token';
let server: FastifyInstance;
let logs: LogLine[];
let surrogate: FastifyInstance;
const clock = 5_000_000;
const get = (url: string, on = server) => on.inject({ url });
const purge = (body: unknown) =>
  server.inject({ method: 'POST', url: '/_atoll/purge', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, payload: JSON.stringify(body) });

// c-product tags itself product:<id> from the query; ?tags=<json> lets a test return any tags.
const files = (tagHeader: string, p = 'c') => ({
  'app.config.json': {
    routes: [
      { id: 'product', path: '/product', contentTemplate: 'product.html', cache: { ttl: 60, tags: ['catalog', 'shop'] } },
      { id: 'plain', path: '/plain', contentTemplate: 'plain.html', cache: { ttl: 60 } },
    ],
    pageCache: { tagHeader, maxStale: 0 },
  },
  'product.html': `<${p}-product></${p}-product><${p}-static></${p}-static>`,
  'plain.html': `<${p}-static></${p}-static>`,
  [`components/${p}-product.ts`]: litComponent(`${p}-product`, {
    properties: 'id: {}',
    render: 'product ${this.id}',
    extra: `export const getServerData = ({ query }) => ({
  props: { id: String(query.id ?? '0') },
  cache: { ttl: 60, tags: query.tags === undefined ? ['product:' + String(query.id ?? '0'), 'catalog'] : JSON.parse(query.tags) },
});`,
  }),
  [`components/${p}-static.ts`]: litComponent(`${p}-static`, { render: 'static' }),
});

beforeAll(async () => {
  ({ server, logs } = await startApp(writeApp(files('Cache-Tag')), { now: () => clock, purgeToken: TOKEN }));
  ({ server: surrogate } = await startApp(writeApp(files('Surrogate-Key', 's')), { now: () => clock }));
});
afterAll(async () => {
  await server.close();
  await surrogate.close();
});

describe('page tags', () => {
  test("a page carries its route id, the route cache.tags and its roots' hook tags, each once, in Cache-Tag", async () => {
    const response = await get('/product?id=42');
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-tag']).toBe('product,catalog,shop,product:42');
    // Served from the page cache, the page keeps its header.
    const hit = await get('/product?id=42');
    expect(hit.headers['x-atoll-cache']).toBe('hit');
    expect(hit.headers['cache-tag']).toBe('product,catalog,shop,product:42');
    expect((await get('/plain')).headers['cache-tag']).toBe('plain');
  });

  test('Surrogate-Key separates tags with spaces; without tagHeader no header is sent', async () => {
    expect((await get('/product?id=7', surrogate)).headers['surrogate-key']).toBe('product catalog shop product:7');
    expect((await get('/product?id=7', surrogate)).headers['cache-tag']).toBeUndefined();
    const { server: off } = await startApp(
      writeApp({ ...files('Cache-Tag', 'o'), 'app.config.json': { routes: [{ id: 'plain', path: '/plain', contentTemplate: 'plain.html', cache: { ttl: 60 } }] } }),
    );
    const response = await get('/plain', off);
    expect(response.statusCode).toBe(200);
    expect(Object.keys(response.headers).filter((h) => h === 'cache-tag' || h === 'surrogate-key')).toEqual([]);
    await off.close();
  });

  test('a purge by a hook tag reaches the pages containing that root, and only them', async () => {
    for (const url of ['/product?id=1', '/product?id=2', '/plain']) {
      await get(url);
      expect((await get(url)).headers['x-atoll-cache']).toBe('hit');
    }
    const response = await purge({ tags: ['product:1'], hard: true });
    // The page and the fragment of its c-product root.
    expect(response.json()).toEqual({ purged: 2 });
    expect((await get('/product?id=1')).headers['x-atoll-cache']).toBe('miss');
    expect((await get('/product?id=2')).headers['x-atoll-cache']).toBe('hit');
    // A route tag reaches every page of the route (id=42 from the first test, 1 and 2), not /plain.
    expect((await purge({ tags: ['shop'], hard: true })).json()).toEqual({ purged: 3 });
    // A hook tag shared by every c-product reaches their fragments (42, 1, 2) and, through them, their pages.
    expect((await get('/product?id=2')).headers['x-atoll-cache']).toBe('miss');
    expect((await purge({ tags: ['catalog'], hard: true })).json()).toEqual({ purged: 4 });
    expect((await get('/plain')).headers['x-atoll-cache']).toBe('hit');
  });

  test('hostile hook tags are refused: a 500 naming the route and tag, no header injected', async () => {
    const hostile = ['a\r\nSet-Cookie: x=1', 'a,b', 'a b', '', 'x'.repeat(129), 'é', 'tab\there'];
    for (const tag of hostile) {
      const response = await get(`/product?id=9&tags=${encodeURIComponent(JSON.stringify([tag]))}`);
      expect(response.statusCode, JSON.stringify(tag)).toBe(500);
      expect(response.headers['set-cookie']).toBeUndefined();
      expect(response.headers['cache-tag']).toBeUndefined();
    }
    const tooMany = await get(`/product?id=9&tags=${encodeURIComponent(JSON.stringify(Array.from({ length: 65 }, (_, i) => `t${i}`)))}`);
    expect(tooMany.statusCode).toBe(500);
    const line = logs.find((l) => l.code === 'ATOLL_DATA_INVALID_RESULT' && String(l.msg).includes('result.cache.tags'));
    expect(line?.msg).toMatch(/route "product".*<c-product>|<c-product>.*route "product"/);
  });
});

describe('route cache.tags in the config', () => {
  test('a tag with a separator is a config error naming its JSON path', async () => {
    const root = writeApp({
      ...files('Cache-Tag', 'k'),
      'app.config.json': { routes: [{ id: 'plain', path: '/plain', contentTemplate: 'plain.html', cache: { ttl: 60, tags: ['a b'] } }] },
    });
    await expect(startApp(root)).rejects.toThrow(/routes\[0\]\.cache\.tags\[0\]/);
  });
});
