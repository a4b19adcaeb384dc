import { expect, test } from 'vitest';
import { golden, startRecipe } from '../helpers/recipe.js';

test('errors-and-status: page, 404 route, redirect, custom status, and the 500 route', async () => {
  const { server, logs } = await startRecipe('errors-and-status');
  const ok = await server.inject('/products/1');
  expect(ok.statusCode).toBe(200);
  expect(ok.body).toContain('<h1><!--lit-part-->Teapot<!--/lit-part--></h1>');

  const missing = await server.inject('/products/99');
  expect(missing.statusCode).toBe(404);
  expect(missing.body).toContain('<h1>We could not find that page</h1>');
  await expect(missing.body).toMatchFileSnapshot(golden('errors-and-status', 'not-found'));

  const moved = await server.inject('/products/old-teapot');
  expect(moved.statusCode).toBe(301);
  expect(moved.headers['location']).toBe('/products/1');

  const gone = await server.inject('/products/discontinued');
  expect(gone.statusCode).toBe(410);
  expect(gone.headers['x-reason']).toBe('discontinued');
  expect(gone.headers['cache-control']).toBe('no-store');

  const broken = await server.inject('/products/broken');
  expect(broken.statusCode).toBe(500);
  expect(broken.body).toContain('<h1>Something broke on our side</h1>');
  expect(broken.body).not.toContain('inventory');
  expect(logs.findLast((l) => l['code'] === 'ATOLL_DATA_HOOK_FAILED')?.msg).toContain('the inventory service is down');
  await expect(broken.body).toMatchFileSnapshot(golden('errors-and-status', 'server-error'));
  await server.close();
});
