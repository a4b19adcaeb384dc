import { expect, test } from 'vitest';
import { launchBrowser } from './helpers/browser.js';
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
  expect(books.body.match(/<form method="post" action="\?\/addToCart" >/g)).toHaveLength(12);
  expect(books.body).toContain('<site-header   heading="Atoll shop"><template shadowroot="open" shadowrootmode="open">');
  expect(books.body).toMatch(/<product-list +hydrate="load" data-atoll-island="2" defer-hydration>/);
  expect(books.body).toMatch(/<cart-count +hydrate="load" data-atoll-island="1" defer-hydration>/);
  // The header's count is not read on shared pages: the island reads the cookie in the browser.
  expect(home.body).not.toContain('data-atoll-props="1"');

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

const FORM = 'application/x-www-form-urlencoded';

test('the demo cart: add posts 303 to /cart with a cookie; the cart page is personal; bad ids are a 422 with the message', async () => {
  const { server } = await startApp(REPO_ROOT);
  const added = await server.inject({ method: 'POST', url: '/category/books?/addToCart', headers: { 'content-type': FORM, cookie: 'cart=books-2:1' }, payload: 'id=books-2' });
  expect(added.statusCode).toBe(303);
  expect(added.headers['location']).toBe('/cart');
  expect(added.headers['set-cookie']).toBe('cart=books-2:2; Max-Age=2592000; Path=/; SameSite=Lax');
  const cart = await server.inject({ url: '/cart', headers: { cookie: 'cart=books-2%3A2,<b>x,music-1:1' } });
  expect(cart.statusCode).toBe(200);
  expect(cart.headers['cache-control']).toBe('private, no-cache');
  expect(cart.body).toContain('<td class="name"><!--lit-part-->Book #2<!--/lit-part--></td>');
  expect(cart.body).toContain('<td class="num quantity"><!--lit-part-->2<!--/lit-part--></td>');
  expect(cart.body).toContain('<td class="name"><!--lit-part-->Musi #1<!--/lit-part--></td>');
  expect(cart.body).toContain('<script type="application/json" data-atoll-props="1">{"count":3}</script>');
  const bad = await server.inject({ method: 'POST', url: '/category/books?/addToCart', headers: { 'content-type': FORM }, payload: 'id=%3Cscript%3E' });
  expect(bad.statusCode).toBe(422);
  expect(bad.headers['cache-control']).toBe('no-store');
  expect(bad.body).toContain('<p class="error" role="alert"><!--lit-part-->That product does not exist.<!--/lit-part--></p>');
  const removed = await server.inject({ method: 'POST', url: '/cart?/remove', headers: { 'content-type': FORM, cookie: 'cart=books-2:2,music-1:1' }, payload: 'id=books-2' });
  expect(removed.statusCode).toBe(303);
  expect(removed.headers['set-cookie']).toBe('cart=music-1:1; Max-Age=2592000; Path=/; SameSite=Lax');
  await server.close();
});

test('in Chromium: add to cart works with JavaScript off (post, redirect, cart page) and on (the header count updates in place)', async () => {
  const { server } = await startApp(REPO_ROOT);
  const base = await server.listen({ port: 0, host: '127.0.0.1' });
  const browser = await launchBrowser();
  try {
    const off = await browser.newContext({ javaScriptEnabled: false });
    const plain = await off.newPage();
    await plain.goto(`${base}/category/music`);
    await plain.locator('product-list li').nth(2).getByRole('button', { name: 'Add to cart' }).click();
    await plain.waitForURL(`${base}/cart`);
    expect(await plain.locator('cart-page td.name').allTextContents()).toEqual(['Musi #3']);
    expect(await plain.locator('cart-count a').textContent()).toBe('Cart (1)');
    await off.close();

    const on = await browser.newContext({ viewport: { width: 1100, height: 760 } });
    const page = await on.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(`${base}/category/books`);
    await page.waitForFunction(
      () => !document.querySelector('product-list')!.hasAttribute('defer-hydration') && !document.querySelector('cart-count')!.hasAttribute('defer-hydration'),
    );
    expect(await page.locator('cart-count a').textContent()).toBe('Cart');
    await page.locator('product-list li').nth(0).getByRole('button', { name: 'Add to cart' }).click();
    await page.locator('cart-count .count').filter({ hasText: '(1)' }).waitFor();
    await page.locator('product-list li').nth(4).getByRole('button', { name: 'Add to cart' }).click();
    await page.locator('cart-count .count').filter({ hasText: '(2)' }).waitFor();
    expect(page.url()).toBe(`${base}/category/books`);
    expect(await page.locator('product-list li').nth(4).locator('.added').textContent()).toBe('Added ✓');
    await page.goto(`${base}/cart`);
    expect(await page.locator('cart-page td.name').allTextContents()).toEqual(['Book #1', 'Book #5']);
    expect(errors).toEqual([]);
    await on.close();
  } finally {
    await browser.close();
    await server.close();
  }
});
