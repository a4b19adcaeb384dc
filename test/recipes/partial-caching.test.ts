import { afterAll, beforeAll, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import path from 'node:path';
import { loadApp } from '../../src/app.js';
import { serveApp } from '../../src/server/create-server.js';
import { REPO_ROOT, startRecipe } from '../helpers/recipe.js';

const TOKEN = 'recipe-token';
let server: FastifyInstance;
const get = (cookie: string) => server.inject({ url: '/', headers: { cookie } });
const list = (body: string) => /<catalog-list[\s\S]*<\/catalog-list>/.exec(body)?.[0];

beforeAll(async () => {
  ({ server } = await startRecipe('partial-caching', { purgeToken: TOKEN }));
});
afterAll(async () => {
  await server.close();
});

test('partial-caching: a personal page whose public list comes from the fragment cache', async () => {
  const ann = await get('name=Ann; cart=2');
  expect(ann.statusCode).toBe(200);
  // The badge read a cookie: the page is private and never in the page cache.
  expect(ann.headers['cache-control']).toBe('private, max-age=60');
  expect(ann.headers['x-atoll-cache']).toBe('bypass');
  expect(ann.body).toContain('<p>Hi <!--lit-part-->Ann<!--/lit-part--> · cart (<!--lit-part-->2<!--/lit-part-->)</p>');
  expect(ann.body.match(/<li>/g)).toHaveLength(12);
  expect(ann.headers['cache-tag']).toBe(`shop,storefront,catalog,${Array.from({ length: 12 }, (_, i) => `product:${i + 1}`).join(',')}`);

  const bob = await get('name=Bob');
  expect(bob.body).toContain('<p>Hi <!--lit-part-->Bob<!--/lit-part--> · cart (<!--lit-part-->0<!--/lit-part-->)</p>');
  expect(list(bob.body)).toBe(list(ann.body));
  expect(list(ann.body)).toContain('<h2><!--lit-part-->All products<!--/lit-part--></h2>');
});

test('partial-caching: a purge by a product tag reaches the list fragment', async () => {
  await get('name=Ann');
  const purge = await server.inject({
    method: 'POST',
    url: '/_atoll/purge',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    payload: JSON.stringify({ tags: ['product:3'], hard: true }),
  });
  expect(purge.statusCode).toBe(200);
  expect(purge.json()).toEqual({ purged: 1 });
  expect((await get('name=Ann')).body.match(/<li>/g)).toHaveLength(12);
});

test('partial-caching: only the list is stored; a purge drops it until the next page stores it again, and a new catalog in crossRequestCache replaces it', async () => {
  const app = await loadApp(path.join(REPO_ROOT, 'recipes', 'partial-caching'), { mode: 'production', ssrTimeoutMs: 5000 });
  const own = serveApp(app, { logLevel: 'silent', purgeToken: TOKEN, overload: { maxEventLoopDelayMs: 0 } });
  await own.ready();
  const page = async (cookie: string) => (await own.inject({ url: '/', headers: { cookie } })).body;
  const first = await page('name=Ann');
  // The badge read a cookie and is never stored; the list is one fragment.
  expect(app.fragmentCache!.size).toBe(1);
  expect(list(await page('name=Bob'))).toBe(list(first));
  expect(app.fragmentCache!.size).toBe(1);

  const purge = await own.inject({
    method: 'POST',
    url: '/_atoll/purge',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    payload: JSON.stringify({ tags: ['catalog'], hard: true }),
  });
  expect(purge.json()).toEqual({ purged: 1 });
  expect(app.fragmentCache!.size).toBe(0);
  expect(list(await page('name=Ann'))).toBe(list(first));
  expect(app.fragmentCache!.size).toBe(1);

  // The hook read crossRequestCache.get('catalog'): setting the key invalidates the fragment,
  // and the next page's list is rendered from the new catalog.
  app.crossRequestCache.set('catalog', [{ id: 99, name: 'Teapot <b>&</b>', price: 12 }], 300);
  const after = list(await page('name=Ann'));
  expect(after).toContain('<li><!--lit-part-->Teapot &lt;b&gt;&amp;&lt;/b&gt;<!--/lit-part--> <b>$<!--lit-part-->12.00<!--/lit-part--></b></li>');
  expect(after?.match(/<li>/g)).toHaveLength(1);
  await own.close();
});
