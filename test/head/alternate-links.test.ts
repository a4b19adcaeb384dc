import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { litComponent, startApp, writeApp } from '../helpers/write-app.js';
import { rawGet } from '../helpers/raw-http.js';

/** path-prefix locales under /shop; the hook builds links with context.localePath (?to=, ?in= choose its arguments). */
function writeLinksApp(tag: string, i18n: object): string {
  return writeApp({
    'app.config.json': {
      basePath: '/shop',
      i18n,
      routes: [{ id: 'category', path: '/category/:name', contentTemplate: 'templates/page.html' }],
    },
    'templates/page.html': `<${tag}></${tag}>`,
    [`components/${tag}.ts`]: litComponent(tag, {
      properties: 'links: {}',
      render: '<p>${this.links}</p>',
      extra: `export function getServerData({ localePath, query, basePath }) {
        if (query.to !== undefined) return { props: { links: localePath(query.to, query.in) } };
        return { props: { links: [localePath('/category/toys'), localePath('/', 'fr'), basePath + localePath('/x', 'en-US')].join(' ') } };
      }`,
    }),
  });
}

const head = (body: string) => body.slice(body.indexOf('<head>'), body.indexOf('</head>'));
const seen = (body: string) => /<p><!--lit-part-->(.*?)<!--\/lit-part--><\/p>/.exec(body)?.[1];

describe('hreflang links and context.localePath with path-prefix', () => {
  let server: FastifyInstance;
  beforeAll(async () => {
    ({ server } = await startApp(writeLinksApp('h-links', { defaultLocale: 'en-US', locales: ['en-US', 'fr', 'de'], uriPattern: 'path-prefix' })));
  });
  afterAll(() => server.close());

  test('every page lists each locale and x-default as absolute paths under basePath, whatever its own locale', async () => {
    const links =
      '<link rel="alternate" hreflang="en-US" href="/shop/category/books">\n<link rel="alternate" hreflang="fr" href="/shop/fr/category/books">\n<link rel="alternate" hreflang="de" href="/shop/de/category/books">\n<link rel="alternate" hreflang="x-default" href="/shop/category/books">\n';
    for (const url of ['/shop/category/books', '/shop/fr/category/books', '/shop/DE/category/books']) {
      const response = await server.inject(url);
      expect(response.statusCode).toBe(200);
      expect(head(response.body), url).toBe(
        `<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>category</title>\n${links}`,
      );
    }
  });

  test('the query is kept and escaped; a hostile one cannot leave the attribute', async () => {
    // A raw socket: inject() would percent-encode the quote and brackets before they reach the server.
    const port = Number(new URL(await server.listen({ port: 0, host: '127.0.0.1' })).port);
    const { body } = await rawGet(port, '/shop/fr/category/books?q=%22%3E%3Cscript%3E&r="><script>x</script>');
    expect(body).not.toContain('<script>x');
    expect(body).toContain('<link rel="alternate" hreflang="de" href="/shop/de/category/books?q=%22%3E%3Cscript%3E&amp;r=&quot;&gt;&lt;script&gt;x&lt;/script&gt;">');
  });

  test('localePath builds paths after basePath for the request locale or another one', async () => {
    expect(seen((await server.inject('/shop/fr/category/books')).body)).toBe('/fr/category/toys /fr/ /shop/x');
    expect(seen((await server.inject('/shop/category/books')).body)).toBe('/category/toys /fr/ /shop/x');
    expect(seen((await server.inject('/shop/category/books?to=/a&in=de')).body)).toBe('/de/a');
  });

  test.each([
    ['relative path', '?to=a'],
    ['protocol-relative path', '?to=//evil.example'],
    ['backslash path', '?to=/%5Cevil.example'],
    ['unknown locale', '?to=/a&in=es'],
    ['prototype key as locale', '?to=/a&in=__proto__'],
  ])('localePath refuses a %s: the hook fails with ATOLL_LOCALE_PATH_INVALID, a 500, not a wrong link', async (_what, query) => {
    const { server: s, logs } = await startApp(
      writeLinksApp(`h-bad-${_what.replace(/[^a-z]/g, '')}`, { defaultLocale: 'en-US', locales: ['en-US', 'fr', 'de'], uriPattern: 'path-prefix' }),
    );
    const response = await s.inject(`/shop/category/books${query}`);
    expect(response.statusCode).toBe(500);
    expect(logs.find((l) => l.code === 'ATOLL_DATA_HOOK_FAILED')?.msg).toContain('ATOLL_LOCALE_PATH_INVALID: context.localePath(');
    await s.close();
  });
});

test('alternateLinks: false turns the links off; without path-prefix there are none and localePath is the identity', async () => {
  for (const [tag, i18n] of [
    ['h-off', { defaultLocale: 'en-US', locales: ['en-US', 'fr'], uriPattern: 'path-prefix', alternateLinks: false }],
    ['h-none', { defaultLocale: 'en-US', locales: ['en-US', 'fr'] }],
  ] as const) {
    const { server } = await startApp(writeLinksApp(tag, i18n));
    const response = await server.inject('/shop/category/books');
    expect(response.body, tag).not.toContain('hreflang');
    if (tag === 'h-none') expect(seen(response.body)).toBe('/category/toys /fr/ /shop/x'.replace('/fr/', '/'));
    await server.close();
  }
});
