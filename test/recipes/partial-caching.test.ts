import { afterAll, beforeAll, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { startRecipe } from '../helpers/recipe.js';

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
