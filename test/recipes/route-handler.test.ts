import { expect, test } from 'vitest';
import { launchBrowser } from '../helpers/browser.js';
import { golden, startRecipe } from '../helpers/recipe.js';

const JSON_TYPE = 'application/json';

test('route-handler: a JSON endpoint answers GET with the item (public) or a JSON 404', async () => {
  const { server } = await startRecipe('route-handler');
  const found = await server.inject('/api/products/sencha');
  expect(found.statusCode).toBe(200);
  expect(found.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(found.headers['cache-control']).toBe('public, max-age=60');
  expect(found.body).toBe('{"id":"sencha","name":"Sencha","cents":850}');
  const missing = await server.inject('/api/products/%3Cb%3E');
  expect(missing.statusCode).toBe(404);
  expect(missing.headers['cache-control']).toBe('no-store');
  expect(missing.body).toBe('{"error":"no such tea"}');
  await server.close();
});

test('route-handler: POST /api/quote checks its JSON body (422 with every problem), takes only POST', async () => {
  const { server } = await startRecipe('route-handler');
  const post = (payload: string) => server.inject({ method: 'POST', url: '/api/quote', headers: { 'content-type': JSON_TYPE }, payload });
  const quoted = await post('{"id":"assam","qty":3}');
  expect(quoted.statusCode).toBe(200);
  expect(quoted.headers['cache-control']).toBe('no-store');
  expect(JSON.parse(quoted.body)).toEqual({ id: 'assam', qty: 3, total: '$18.60' });
  const refused = await post('{"id":"x","qty":"3"}');
  expect(refused.statusCode).toBe(422);
  expect(JSON.parse(refused.body)).toEqual({ errors: ['id: not one of our teas', 'qty: a whole number from 1 to 100'] });
  expect((await post('[1,2]')).statusCode).toBe(422);
  expect((await post('{"id":')).statusCode).toBe(400);
  const get = await server.inject('/api/quote');
  expect(get.statusCode).toBe(405);
  expect(get.headers['allow']).toBe('POST');
  await server.close();
});

test('route-handler: a handler picks a view — the product (cached 5 minutes) or the missing view with 404 — or JSON for ?format=json', async () => {
  const { server } = await startRecipe('route-handler');
  const product = await server.inject('/products/assam');
  expect(product.statusCode).toBe(200);
  expect(product.headers['cache-control']).toBe('public, max-age=300, stale-while-revalidate=60');
  expect(product.headers['x-atoll-cache']).toBe('miss');
  await expect(product.body).toMatchFileSnapshot(golden('route-handler', 'product-assam'));
  expect((await server.inject('/products/assam')).headers['x-atoll-cache']).toBe('hit');
  const missing = await server.inject('/products/oolong');
  expect(missing.statusCode).toBe(404);
  expect(missing.headers['cache-control']).toBe('no-store');
  await expect(missing.body).toMatchFileSnapshot(golden('route-handler', 'missing'));
  const json = await server.inject('/products/sencha?format=json');
  expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(JSON.parse(json.body)).toEqual({ id: 'sencha', name: 'Sencha', cents: 850 });
  await server.close();
});

test('route-handler in Chromium: the price-quote island gets its answer from the JSON endpoint', async () => {
  const { server } = await startRecipe('route-handler');
  const base = await server.listen({ port: 0, host: '127.0.0.1' });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(`${base}/`);
    await page.waitForFunction(() => !document.querySelector('price-quote')!.hasAttribute('defer-hydration'));
    await page.locator('price-quote select').selectOption('sencha');
    await page.locator('price-quote input').fill('2');
    await page.locator('price-quote button').click();
    await page.locator('price-quote .answer').filter({ hasText: '$17.00' }).waitFor();
    expect(page.url()).toBe(`${base}/`);
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
    await server.close();
  }
});
