import { expect, test } from 'vitest';
import { launchBrowser } from '../helpers/browser.js';
import { golden, startRecipe } from '../helpers/recipe.js';

const FORM = 'application/x-www-form-urlencoded';

test('forms: the signup form renders empty; a refused post renders it again with 422, the errors and the kept values', async () => {
  const { server } = await startRecipe('forms');
  const empty = await server.inject('/');
  expect(empty.statusCode).toBe(200);
  expect(empty.body).toContain('<form method="post" action="?/signup" novalidate >');
  expect(empty.body).toContain('<input name="name" value="" aria-invalid="false">');
  expect(empty.body).not.toContain('class="error"');

  const refused = await server.inject({
    method: 'POST',
    url: '/?/signup',
    headers: { 'content-type': FORM },
    payload: `name=${encodeURIComponent('"><script>x</script>')}&email=nope`,
  });
  expect(refused.statusCode).toBe(422);
  expect(refused.headers['cache-control']).toBe('no-store');
  expect(refused.body).toContain('<input name="name" value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;" aria-invalid="false">');
  expect(refused.body).toContain('<input name="email" type="email" value="nope" aria-invalid="true">');
  expect(refused.body).toContain('<p class="error" id="email-error"><!--lit-part-->That does not look like an email address.<!--/lit-part--></p>');
  expect(refused.body).toContain(
    '<script type="application/json" data-atoll-props="0">{"values":{"name":"\\"\\u003e\\u003cscript\\u003ex\\u003c/script\\u003e","email":"nope"},"errors":{"email":"That does not look like an email address."}}</script>',
  );
  const blank = await server.inject({ method: 'POST', url: '/?/signup', headers: { 'content-type': FORM }, payload: 'name=&name=twice&email=a%40b.co' });
  expect(blank.statusCode).toBe(422);
  expect(blank.body).toContain('<p class="error" id="name-error"><!--lit-part-->Tell us your name.<!--/lit-part--></p>');
  await server.close();
});

test('forms: a valid post redirects (303) to the welcome page, a GET like any other', async () => {
  const { server } = await startRecipe('forms');
  const posted = await server.inject({ method: 'POST', url: '/?/signup', headers: { 'content-type': FORM }, payload: 'name=Ada%20Lovelace&email=ada%40example.com' });
  expect(posted.statusCode).toBe(303);
  expect(posted.headers['location']).toBe('/welcome?name=Ada%20Lovelace');
  const welcome = await server.inject(posted.headers['location']!);
  expect(welcome.statusCode).toBe(200);
  await expect(welcome.body).toMatchFileSnapshot(golden('forms', 'welcome'));
  await server.close();
});

test('forms: JSON mode answers the island with { ok, status, data | redirect }', async () => {
  const { server } = await startRecipe('forms');
  const headers = { 'content-type': FORM, accept: 'application/json' };
  const refused = await server.inject({ method: 'POST', url: '/?/signup', headers, payload: 'name=Ada&email=' });
  expect(refused.statusCode).toBe(422);
  expect(JSON.parse(refused.body)).toEqual({
    ok: false,
    status: 422,
    data: { values: { name: 'Ada', email: '' }, errors: { email: 'That does not look like an email address.' } },
  });
  const accepted = await server.inject({ method: 'POST', url: '/?/signup', headers, payload: 'name=Ada&email=ada%40example.com' });
  expect(accepted.statusCode).toBe(200);
  expect(JSON.parse(accepted.body)).toEqual({ ok: true, status: 303, redirect: '/welcome?name=Ada' });
  await server.close();
});

test('forms in Chromium: without JavaScript the post re-renders with errors then redirects; with it, errors appear in place', async () => {
  const { server } = await startRecipe('forms');
  const base = await server.listen({ port: 0, host: '127.0.0.1' });
  const browser = await launchBrowser();
  try {
    const off = await browser.newContext({ javaScriptEnabled: false });
    const plain = await off.newPage();
    await plain.goto(`${base}/`);
    await plain.locator('signup-form input[name=name]').fill('Ada');
    await plain.locator('signup-form button').click();
    await plain.locator('signup-form #email-error').waitFor();
    expect(await plain.locator('signup-form input[name=name]').inputValue()).toBe('Ada');
    await plain.locator('signup-form input[name=email]').fill('ada@example.com');
    await plain.locator('signup-form button').click();
    await plain.waitForURL(`${base}/welcome?name=Ada`);
    expect(await plain.locator('welcome-note h1').textContent()).toBe('Welcome, Ada!');
    await off.close();

    const on = await browser.newContext();
    const page = await on.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      // Chromium logs every 4xx fetch; the refused post's 422 is the answer the island expects.
      const expected = message.text() === 'Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)';
      if (message.type() === 'error' && !expected) errors.push(message.text());
    });
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') posts.push(`${request.headers()['accept']} ${request.url()}`);
    });
    await page.goto(`${base}/`);
    await page.waitForFunction(() => !document.querySelector('signup-form')!.hasAttribute('defer-hydration'));
    await page.locator('signup-form input[name=email]').fill('not an address');
    await page.locator('signup-form button').click();
    await page.locator('signup-form #name-error').waitFor();
    expect(await page.locator('signup-form #email-error').textContent()).toBe('That does not look like an email address.');
    expect(page.url()).toBe(`${base}/`);
    await page.locator('signup-form input[name=name]').fill('Grace');
    await page.locator('signup-form input[name=email]').fill('grace@example.com');
    await page.locator('signup-form button').click();
    await page.waitForURL(`${base}/welcome?name=Grace`);
    expect(posts).toEqual([`application/json ${base}/?/signup`, `application/json ${base}/?/signup`]);
    expect(errors).toEqual([]);
    await on.close();
  } finally {
    await browser.close();
    await server.close();
  }
});
