import { expect, test } from 'vitest';
import { startRecipe } from '../helpers/recipe.js';

test('cache-ttl: the shortest TTL of the route and its roots sets Cache-Control', async () => {
  const { server } = await startRecipe('cache-ttl');
  const prices = await server.inject('/');
  expect(prices.headers['cache-control']).toBe('public, max-age=60, stale-while-revalidate=60');
  expect(prices.body).toContain('Price: <!--lit-part-->42<!--/lit-part-->');
  // One locale: the page does not depend on Accept-Language, so nothing varies.
  expect(prices.headers['vary']).toBeUndefined();
  expect((await server.inject('/live')).headers['cache-control']).toBe('public, max-age=60, stale-while-revalidate=60');
  await server.close();
});
