import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { litComponent, startApp, writeApp } from '../helpers/write-app.js';
import { rawGet } from '../helpers/raw-http.js';

/** An app with path-prefix locales; its one component prints what its data hook saw (a tag per app: one process defines each once). */
function writePrefixApp(extra: object = {}, tag = 'l-seen'): string {
  return writeApp({
    'app.config.json': {
      i18n: { defaultLocale: 'en-US', locales: ['en-US', 'fr', 'fr-CA'], uriPattern: 'path-prefix' },
      routes: [
        { id: 'home', path: '/', contentTemplate: 'templates/page.html', layoutTemplate: 'templates/layout.html' },
        { id: 'category', path: '/category/:name', contentTemplate: 'templates/page.html', layoutTemplate: 'templates/layout.html' },
      ],
      errorRoutes: [{ id: 'not-found', status: 404, contentTemplate: 'templates/404.html', layoutTemplate: 'templates/layout.html' }],
      ...extra,
    },
    'templates/layout.html': '<!DOCTYPE html>\n<html lang="{{ page.locale }}">\n<head>\n<title>t</title>\n</head>\n<body>\n{{{ body }}}\n</body>\n</html>\n',
    'templates/page.html': `<${tag}></${tag}>`,
    'templates/404.html': '<h1>Nothing here</h1>',
    [`components/${tag}.ts`]: litComponent(tag, {
      properties: 'seen: {}',
      render: '<p>${this.seen}</p>',
      extra: `export function getServerData({ locale, url, params }) {
        return { props: { seen: [locale, url, params.name ?? '-'].join(' ') } };
      }`,
    }),
  });
}

const seen = (body: string) => /<p><!--lit-part-->(.*?)<!--\/lit-part--><\/p>/.exec(body)?.[1];
const lang = (body: string) => /<html lang="([^"]*)">/.exec(body)?.[1];

describe('path-prefix locales without basePath', () => {
  let server: FastifyInstance;
  let port: number;
  beforeAll(async () => {
    ({ server } = await startApp(writePrefixApp()));
    const address = await server.listen({ port: 0, host: '127.0.0.1' });
    port = Number(new URL(address).port);
  });
  afterAll(() => server.close());

  test.each([
    ['/category/books', 'en-US', 'en-US /category/books books'],
    ['/fr/category/books', 'fr', 'fr /fr/category/books books'],
    ['/fr-CA/category/books?x=1', 'fr-CA', 'fr-CA /fr-CA/category/books?x=1 books'],
    ['/FR/category/books', 'fr', 'fr /FR/category/books books'],
    ['/fr', 'fr', 'fr /fr -'],
    ['/fr/', 'fr', 'fr /fr/ -'],
    ['/', 'en-US', 'en-US / -'],
  ])('%s is locale %s for context.locale and page.locale', async (url, locale, context) => {
    const response = await server.inject({ url, headers: { 'accept-language': 'de, fr;q=0.1' } });
    expect(response.statusCode).toBe(200);
    expect(lang(response.body)).toBe(locale);
    expect(seen(response.body)).toBe(context);
  });

  test('the URL decides, not Accept-Language, so pages carry no Vary', async () => {
    const french = await server.inject({ url: '/category/books', headers: { 'accept-language': 'fr' } });
    expect(lang(french.body)).toBe('en-US');
    expect(french.headers['vary']).toBeUndefined();
    const prefixed = await server.inject({ url: '/fr/category/books', headers: { 'accept-language': 'en-US' } });
    expect(lang(prefixed.body)).toBe('fr');
    expect(prefixed.headers['vary']).toBeUndefined();
  });

  test.each([
    ['/en-US/category/books?x=1&y=%20', '/category/books?x=1&y=%20'],
    ['/en-us/category/books', '/category/books'],
    ['/en-US', '/'],
    ['/en-US/', '/'],
    ['/en-US/nowhere', '/nowhere'],
  ])('the default locale prefix %s redirects (301) to %s', async (url, location) => {
    const response = await server.inject(url);
    expect(response.statusCode).toBe(301);
    expect(response.headers['location']).toBe(location);
    expect(response.headers['cache-control']).toBe('no-store');
  });

  test('an unknown or hostile first segment is just a path: 404 in the default locale, never a 500', async () => {
    for (const url of [
      '/de/category/books',
      '/%66r/category/books',
      '/fr-/category/books',
      '/fr%2Fcategory/books',
      '/frx/category/books',
      '/fr/fr/category/books',
      '/fr/en-US/category/books',
      '/__proto__/category/books',
      '/constructor/',
      '/fr/../category/books',
    ]) {
      const response = await rawGet(port, url);
      expect(response.status, url).toBe(404);
      expect(response.body, url).toContain('<h1>Nothing here</h1>');
    }
    const french = await server.inject('/fr/nowhere');
    expect(french.statusCode).toBe(404);
    expect(lang(french.body)).toBe('fr');
  });

  test('no redirect leaves the site: /en-US//host and /en-US/\\host stay 404 paths', async () => {
    for (const url of ['/en-US//evil.example/x', '/en-US/\\evil.example']) {
      const response = await rawGet(port, url);
      expect(response.status, url).toBe(404);
      expect(response.headers, url).not.toMatch(/location:/i);
    }
  });

  test('Location keeps the query as sent; a raw non-ASCII byte is a 400 from the HTTP parser, never a 500', async () => {
    const response = await rawGet(port, '/en-US/category/books?r=<x>&s="{}"');
    expect(response.status).toBe(301);
    expect(response.headers).toMatch(/\r\nlocation: \/category\/books\?r=<x>&s="\{\}"\r\n/);
    expect((await rawGet(port, '/en-US/category/books?q=\u00e9')).status).toBe(400);
  });

  test('other methods on a prefixed page are 405, as on the unprefixed one', async () => {
    const response = await server.inject({ method: 'POST', url: '/fr/category/books' });
    expect(response.statusCode).toBe(405);
    expect((await server.inject({ method: 'POST', url: '/de/category/books' })).statusCode).toBe(404);
  });
});

describe('path-prefix locales under basePath', () => {
  let server: FastifyInstance;
  beforeAll(async () => {
    ({ server } = await startApp(writePrefixApp({ basePath: '/shop' }, 'l-seen-base')));
  });
  afterAll(() => server.close());

  test('/shop/fr/… is French; the default prefix redirects under basePath, keeping the query', async () => {
    const french = await server.inject('/shop/fr/category/books');
    expect(french.statusCode).toBe(200);
    expect(seen(french.body)).toBe('fr /fr/category/books books');
    const redirect = await server.inject('/shop/en-US/category/books?x=1');
    expect(redirect.statusCode).toBe(301);
    expect(redirect.headers['location']).toBe('/shop/category/books?x=1');
    const root = await server.inject('/shop/en-US');
    expect(root.statusCode).toBe(301);
    expect(root.headers['location']).toBe('/shop/');
    expect((await server.inject('/fr/category/books')).statusCode).toBe(404);
  });
});

test('a locale that cannot be a URL segment is a startup error with path-prefix', async () => {
  const root = writeApp({
    'app.config.json': { i18n: { defaultLocale: 'en', locales: ['en', 'fr/x', 'EN'], uriPattern: 'path-prefix' }, routes: [] },
  });
  await expect(startApp(root)).rejects.toThrow(/i18n\.locales\[1\]: "fr\/x" cannot be a URL prefix[\s\S]*i18n\.locales\[2\]: "EN" is listed twice/);
});
