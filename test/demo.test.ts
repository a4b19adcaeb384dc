import { expect, test } from 'vitest';
import { startApp } from './helpers/write-app.js';
import { REPO_ROOT } from './helpers/recipe.js';

test('the demo app at the repo root: home, a category with data and head markup, 404, assets', async () => {
  const { server } = await startApp(REPO_ROOT);
  const home = await server.inject('/');
  expect(home.statusCode).toBe(200);
  expect(home.headers['cache-control']).toBe('public, max-age=60, stale-while-revalidate=60');
  expect(home.body).toContain('<title>Atoll shop</title>');
  expect(home.body).toContain('<h1>Atoll shop</h1>');
  expect(home.body).toContain('<a href="/category/books">');

  const books = await server.inject('/category/books');
  expect(books.statusCode).toBe(200);
  expect(books.headers['cache-control']).toBe('public, max-age=60, stale-while-revalidate=60');
  expect(books.body).toContain('<title>books — Atoll shop</title>');
  expect(books.body).toContain('<meta name="description" content="12 products in books">');
  expect(books.body.match(/<li>/g)).toHaveLength(12);
  expect(books.body).toContain('<site-header   heading="Atoll shop"><template shadowroot="open" shadowrootmode="open">');
  expect(books.body).toMatch(/<cart-counter +hydrate="visible" data-atoll-island="2" defer-hydration>/);
  expect(books.body).toContain('<script type="application/json" data-atoll-props="2">{"stock":8}</script>');
  expect(home.body).not.toContain('<script');

  const missing = await server.inject('/category/toys');
  expect(missing.statusCode).toBe(404);
  expect(missing.body).toContain('<h1>Page not found</h1>');

  expect((await server.inject('/public/site.css')).statusCode).toBe(200);
  // every page names its icon, so no browser asks for /favicon.ico
  for (const body of [home.body, books.body, missing.body]) expect(body).toContain('<link rel="icon" href="/public/favicon.svg" type="image/svg+xml">');
  const icon = await server.inject('/public/favicon.svg');
  expect(icon.statusCode).toBe(200);
  expect(icon.headers['content-type']).toBe('image/svg+xml');
  expect(icon.body).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  await server.close();
});
