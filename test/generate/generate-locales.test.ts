import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { generateSite } from '../../src/generate/generate-site.js';
import { checkApp, formatCheckReport } from '../../src/check/check-app.js';
import { litComponent, startApp, writeApp } from '../helpers/write-app.js';

/** Path-prefix locales with a cached route; the hook counts its calls so a test tells a cached page from a render. */
const root = writeApp({
  'app.config.json': {
    i18n: { defaultLocale: 'en', locales: ['en', 'fr', 'de'], uriPattern: 'path-prefix' },
    routes: [
      { id: 'home', path: '/', contentTemplate: 'templates/page.html', layoutTemplate: 'templates/layout.html' },
      { id: 'category', path: '/category/:name', contentTemplate: 'templates/page.html', layoutTemplate: 'templates/layout.html', cache: { ttl: 60 } },
    ],
    errorRoutes: [{ id: 'not-found', status: 404, contentTemplate: 'templates/404.html', layoutTemplate: 'templates/layout.html' }],
    staticSite: { paths: ['/category/books'] },
  },
  'templates/layout.html': '<!DOCTYPE html>\n<html lang="{{ page.locale }}">\n<head>\n<title>t</title>\n</head>\n<body>\n{{{ body }}}\n</body>\n</html>\n',
  'templates/page.html': '<g-locale></g-locale>',
  'templates/404.html': '<h1>Nothing here</h1>',
  'components/g-locale.ts': litComponent('g-locale', {
    properties: 'text: {}',
    render: '<p>${this.text}</p>',
    extra: `export function getServerData({ locale, url }) {
      globalThis.__localeRenders = (globalThis.__localeRenders ?? 0) + 1;
      return { props: { text: locale + ' ' + url } };
    }`,
  }),
});
const renders = () => (globalThis as unknown as { __localeRenders?: number }).__localeRenders ?? 0;
const files = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();

let server: FastifyInstance;
beforeAll(async () => {
  ({ server } = await startApp(root));
});
afterAll(() => server.close());

describe('page cache with path-prefix locales', () => {
  test('each URL locale has its own entry, and Accept-Language never picks another one', async () => {
    const before = renders();
    const en = await server.inject({ url: '/category/toys', headers: { 'accept-language': 'fr' } });
    const fr = await server.inject({ url: '/fr/category/toys', headers: { 'accept-language': 'en' } });
    expect([en.headers['x-atoll-cache'], fr.headers['x-atoll-cache']]).toEqual(['miss', 'miss']);
    expect(en.body).toContain('<p><!--lit-part-->en /category/toys<!--/lit-part--></p>');
    expect(fr.body).toContain('<p><!--lit-part-->fr /fr/category/toys<!--/lit-part--></p>');
    const enAgain = await server.inject({ url: '/category/toys', headers: { 'accept-language': 'de' } });
    const frAgain = await server.inject({ url: '/fr/category/toys', headers: { 'accept-language': 'de' } });
    expect([enAgain.headers['x-atoll-cache'], frAgain.headers['x-atoll-cache']]).toEqual(['hit', 'hit']);
    expect(enAgain.body).toBe(en.body);
    expect(frAgain.body).toBe(fr.body);
    expect(renders() - before).toBe(2);
    const de = await server.inject('/de/category/toys');
    expect(de.headers['x-atoll-cache']).toBe('miss');
    expect(de.body).toContain('<html lang="de">');
  });
});

describe('generate and check with path-prefix locales', () => {
  test('generate writes every page in every locale and a 404 page per locale, each equal to the server response', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'atoll-site-'));
    const report = await generateSite({ root, outDir: out, concurrency: 2, ssrTimeoutMs: 5000 });
    expect(report.pages).toBe(6);
    expect(files(out)).toEqual([
      '404.html',
      'category/books/index.html',
      'de/404.html',
      'de/category/books/index.html',
      'de/index.html',
      'fr/404.html',
      'fr/category/books/index.html',
      'fr/index.html',
      'index.html',
    ]);
    for (const [url, file] of [
      ['/', 'index.html'],
      ['/fr/', 'fr/index.html'],
      ['/de/', 'de/index.html'],
      ['/category/books', 'category/books/index.html'],
      ['/fr/category/books', 'fr/category/books/index.html'],
      ['/de/category/books', 'de/category/books/index.html'],
    ] as const) {
      const response = await server.inject(url);
      expect(response.statusCode, url).toBe(200);
      expect(readFileSync(path.join(out, file), 'utf8'), url).toBe(response.body.toString());
    }
    expect(readFileSync(path.join(out, 'fr/category/books/index.html'), 'utf8')).toContain('<p><!--lit-part-->fr /fr/category/books<!--/lit-part--></p>');
    for (const locale of ['en', 'fr', 'de']) {
      const file = locale === 'en' ? '404.html' : `${locale}/404.html`;
      const page = readFileSync(path.join(out, file), 'utf8');
      expect(page, file).toContain(`<html lang="${locale}">`);
      expect(page, file).toContain('<h1>Nothing here</h1>');
    }
    expect(readFileSync(path.join(out, 'fr/404.html'), 'utf8')).toBe((await server.inject('/fr/no/such/page')).body);
  });

  test('check renders every page in every locale', async () => {
    const report = await checkApp(root, 5000);
    expect(report.ok).toBe(true);
    expect(report.pages.map((p) => `${p.status} ${p.url}`)).toEqual(['200 /category/books', '200 /', '200 /fr/category/books', '200 /fr/', '200 /de/category/books', '200 /de/']);
    expect(formatCheckReport(report)).toMatch(/^ok\s+200 .* category\s+\/fr\/category\/books$/m);
  });
});
