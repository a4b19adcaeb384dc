import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { writeFixtureApp } from './fixture-app.js';
import { AtollError } from '../../src/errors.js';
import { startApp, type LogLine } from '../helpers/write-app.js';

let server: FastifyInstance;
let logs: LogLine[];
const get = (url: string, headers: Record<string, string> = {}) => server.inject({ method: 'GET', url, headers });

beforeAll(async () => {
  ({ server, logs } = await startApp(writeFixtureApp(), { ssrTimeoutMs: 300 }));
});
afterAll(() => server.close());

describe('rendering', () => {
  test('static roots render with declarative shadow DOM, keep attributes and light DOM; third-party tags pass through', async () => {
    const response = await get('/static');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toBe(`<!DOCTYPE html>
<html lang="en-US">
<head>
<title>static</title>
</head>
<body><!--lit-part QAHSekj0j5w=-->
<!--lit-node 0--><t-static   label="a&amp;b"><template shadowroot="open" shadowrootmode="open"><!--lit-part 3SOQ1DIiCsI=--><p><!--lit-part-->a&amp;b<!--/lit-part--></p><slot></slot><slot name="extra"></slot><!--/lit-part--></template></t-static>
<!--lit-node 1--><t-static   label="two"><template shadowroot="open" shadowrootmode="open"><!--lit-part 3SOQ1DIiCsI=--><p><!--lit-part-->two<!--/lit-part--></p><slot></slot><slot name="extra"></slot><!--/lit-part--></template><span slot="extra">light</span></t-static>
<foo-bar x="1"><b>third-party</b></foo-bar>
<!--/lit-part--></body>
</html>
`);
    expect(response.body).not.toContain('<script');
  });

  test('a root nested in another root is rendered too', async () => {
    const { body } = await get('/nested');
    expect(body).toContain('<t-static   label="outer"><template shadowroot="open" shadowrootmode="open">');
    expect(body).toContain(
      '</template><!--lit-node 1--><t-static   label="inner"><template shadowroot="open" shadowrootmode="open"><!--lit-part 3SOQ1DIiCsI=--><p><!--lit-part-->inner<!--/lit-part--></p>',
    );
  });

  test('islands get an id and defer-hydration; each island sends its own props once; client-only islands keep attributes and placeholder', async () => {
    const { body } = await get(`/island?text=${encodeURIComponent('</script><!--<script>\u2028')}`);
    expect(body).toContain('<t-island     hydrate data-atoll-island="0" defer-hydration><template shadowroot="open"');
    expect(body).toContain('<t-island       hydrate="visible" hydrate-margin="50px" start="2" data-atoll-island="1" defer-hydration><template');
    expect(body).toContain('<b><!--lit-part-->2<!--/lit-part--></b>');
    expect(body).toContain('<t-client     hydrate="client-only" msg="hi" data-atoll-island="2"><p>loading</p></t-client>');
    const scripts = [...body.matchAll(/<script type="application\/json" data-atoll-props="(\d)">(.*?)<\/script>/g)];
    expect(scripts.map((m) => m[1])).toEqual(['0', '1', '2']);
    expect(scripts[0]![2]).toBe('{"items":["a","b"],"text":"\\u003c/script\\u003e\\u003c!--\\u003cscript\\u003e\\u2028"}');
    expect(JSON.parse(scripts[0]![2]!)).toEqual({ items: ['a', 'b'], text: '</script><!--<script>\u2028' });
    expect(JSON.parse(scripts[2]![2]!)).toEqual({ data: { fromServer: 'hi' } });
    // the props were set on the server element too
    expect(body).toContain('<em><!--lit-part-->&lt;/script&gt;&lt;!--&lt;script&gt;\u2028<!--/lit-part--></em>');
  });

  test('island pages preload the runtime and their load/client-only modules and boot only their own islands', async () => {
    const { body } = await get('/island');
    const preloads = [...body.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1]!);
    expect(preloads.some((u) => /^\/_atoll\/atoll-runtime-[A-Z0-9]{8}\.js$/.test(u))).toBe(true);
    expect(preloads.some((u) => /^\/_atoll\/t-island-[A-Z0-9]{8}\.js$/.test(u))).toBe(true);
    expect(preloads.some((u) => /^\/_atoll\/t-client-[A-Z0-9]{8}\.js$/.test(u))).toBe(true);
    expect(body.indexOf('rel="modulepreload"')).toBeLessThan(body.indexOf('</head>'));
    const boot = /<script type="module">import\{boot\}from"(\/_atoll\/atoll-runtime-[A-Z0-9]{8}\.js)";boot\((\{.*?\})\);<\/script>\n<\/body>/.exec(body);
    expect(boot).not.toBeNull();
    const options = JSON.parse(boot![2]!) as { modules: Record<string, string>; dev: boolean };
    expect(Object.keys(options.modules).sort()).toEqual(['t-client', 't-island']);
    expect(options.dev).toBe(false);

    const runtime = await get(boot![1]!);
    expect(runtime.statusCode).toBe(200);
    expect(runtime.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(runtime.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(runtime.body).toContain('hydrateShadowRoots');
    expect((await get('/_atoll/nope-AAAAAAAA.js')).statusCode).toBe(404);
  });

  test('bootstrap.ssr false serves the shell: roots are not rendered, their props still travel', async () => {
    const { body } = await get('/shell');
    expect(body).toContain('<t-island   data-atoll-island="0"></t-island>');
    expect(body).not.toContain('shadowrootmode');
    expect(body).toContain('<script type="application/json" data-atoll-props="0">{"items":["a","b"],"text":"plain"}</script>');
  });

  test('props that JSON cannot carry are a 500 naming the tag and key path', async () => {
    for (const [kind, keyPath] of [
      ['fn', 'props.fn'],
      ['cycle', 'props.a.self'],
    ] as const) {
      const response = await get(`/bad-props?kind=${kind}`);
      expect(response.statusCode).toBe(500);
      const line = logs.findLast((l) => l['code'] === 'ATOLL_PROPS_NOT_SERIALIZABLE');
      expect(line?.msg).toContain(`Props of island <t-island> on route "bad-props" at ${keyPath}`);
    }
  });
});

describe('getServerData context', () => {
  test('props, url, params, query, locale, basePath, method, signal and cache', async () => {
    const { body } = await get('/ctx/a%20b?x=1&x=2&y=z&__proto__=p', { 'accept-language': 'de;q=0.5, fr-CA;q=0.9' });
    const json = /<pre><!--lit-part-->(.*?)<!--\/lit-part--><\/pre>/
      .exec(body)![1]!
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
    expect(JSON.parse(json)).toEqual({
      props: { someFlag: 'true', dataFoo: 'bar', limit: '10' },
      url: '/ctx/a%20b?x=1&x=2&y=z&__proto__=p',
      params: { id: 'a b' },
      query: { x: ['1', '2'], y: 'z', ['__proto__']: 'p' },
      locale: 'fr',
      basePath: '',
      method: 'GET',
      signal: true,
      cache: 'function',
    });
    // A "__proto__" query key is plain data: nothing reached Object.prototype in this process.
    expect(Object.keys(Object.prototype)).toEqual([]);
  });

  test.each([
    ['', 'en-US'],
    ['de-AT', 'de-DE'],
    ['fr-CA,fr;q=0.9', 'fr'],
    ['ja, *', 'en-US'],
    ['FR', 'fr'],
  ])('Accept-Language %j gives locale %s (only configured locales)', async (header, locale) => {
    const { body } = await get('/ctx/1', header === '' ? {} : { 'accept-language': header });
    expect(body).toContain(`<html lang="${locale}">`);
    expect(body).toContain(`&quot;locale&quot;:&quot;${locale}&quot;`);
  });

  test.each(['POST', 'PUT', 'PATCH', 'DELETE'] as const)('%s to a page is 405 with Allow: GET, HEAD; to an unknown URL 404', async (method) => {
    const page = await server.inject({ method, url: '/ctx/1', payload: 'x=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(page.statusCode).toBe(405);
    expect(page.headers['allow']).toBe('GET, HEAD');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('<title>405 Method Not Allowed</title>');
    const missing = await server.inject({ method, url: '/no/such/page' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['allow']).toBeUndefined();
  });

  test('OPTIONS on a page lists its methods', async () => {
    const response = await server.inject({ method: 'OPTIONS', url: '/ctx/1' });
    expect(response.statusCode).toBe(204);
    expect(response.headers['allow']).toBe('GET, HEAD');
  });

  test('a page whose locale came from Accept-Language says so in Vary (the app has three locales)', async () => {
    const response = await server.inject({ url: '/ctx/1', headers: { 'accept-language': 'fr' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['vary']).toBe('accept-language');
  });

  test.each([
    ['/files/a/b/c', { rest: ['a', 'b', 'c'] }],
    ['/opt', {}],
    ['/opt/7', { id: '7' }],
    ['/CTX/Books/', { id: 'Books' }],
  ])('route params for %s', async (url, params) => {
    const { statusCode, body } = await get(url);
    expect(statusCode).toBe(200);
    expect(body).toContain(`&quot;params&quot;:${JSON.stringify(params).replace(/"/g, '&quot;')}`);
  });

  test('reading request headers marks the page private', async () => {
    const response = await get('/headers', { 'x-user': 'ann' });
    expect(response.body).toContain('ann');
    expect(response.headers['cache-control']).toBe('private, max-age=60');
  });
});

describe('head markup', () => {
  const hostile = `</title><script>alert(1)</script>"'<!--&amp;`;
  test('every value is escaped for its context; first title and first meta per name win; the layout title is replaced', async () => {
    const { body } = await get(`/head?payload=${encodeURIComponent(hostile)}`);
    const head = body.slice(body.indexOf('<head>'), body.indexOf('</head>') + 7);
    expect(head).toBe(`<head>
<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&lt;!--&amp;amp;</title>
<meta name="description" content="&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&lt;!--&amp;amp;">
<meta property="og:title" content="&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&lt;!--&amp;amp;">
<meta name="keywords" content="k">
<script type="application/ld+json">{"@type":"Thing","name":"\\u003c/title\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\\"'\\u003c!--\\u0026amp;"}</script>
<link href="/x?q=&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&lt;!--&amp;amp;" rel="preload" as="image" fetchpriority="high">
<style id="s1">body{content:"\\3C /title>\\3C script>alert(1)\\3C /script>"'\\3C !--&amp;"}</style>
</head>`);
    expect(body.match(/<title>/g)).toHaveLength(1);
  });

  test('without a data title the layout title stays', async () => {
    const { body } = await get('/static');
    expect(body).toContain('<title>static</title>');
  });
});

describe('status, headers, redirects, notFound', () => {
  test('a hook status and headers reach the response; error statuses are no-store', async () => {
    const response = await get('/status');
    expect(response.statusCode).toBe(503);
    expect(response.headers['x-from-hook']).toBe('yes');
    expect(response.headers['retry-after']).toBe('10');
    expect(response.headers['cache-control']).toBe('no-store');
  });

  test('a hook that sets a cookie makes a cacheable page private', async () => {
    const response = await get('/status?cookie=1');
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('private, max-age=30');
  });

  test.each([
    ['header', 'result.headers.x-evil: the value contains a line break'],
    ['reserved', 'result.headers.Cache-Control: Atoll sets this header'],
    ['key', 'result.prop: unknown key — did you mean "props"?'],
  ])('an invalid hook result (%s) is a 500 that says what is wrong', async (bad, message) => {
    const response = await get(`/status?bad=${bad}`);
    expect(response.statusCode).toBe(500);
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(logs.findLast((l) => l['code'] === 'ATOLL_DATA_INVALID_RESULT')?.msg).toContain(message);
  });

  test('the first root that redirects decides, before a later notFound', async () => {
    const response = await get('/redirect?to=/static');
    expect(response.statusCode).toBe(302);
    expect(response.headers['location']).toBe('/static');
    expect(response.headers['cache-control']).toBe('no-store');
    const permanent = await get('/redirect?to=https://example.com/x&permanent=1');
    expect(permanent.statusCode).toBe(301);
    expect(permanent.headers['location']).toBe('https://example.com/x');
  });

  test.each(['//evil.example', '/\\evil.example', 'javascript:alert(1)', 'evil.example'])('redirect to %j is refused', async (to) => {
    const response = await get(`/redirect?to=${encodeURIComponent(to)}`);
    expect(response.statusCode).toBe(500);
    expect(response.headers['location']).toBeUndefined();
  });

  test('a redirect destination with a line break is an invalid result, not a header Node rejects later', async () => {
    const response = await get(`/redirect?to=${encodeURIComponent('/ok\r\nset-cookie: x=1')}`);
    expect(response.statusCode).toBe(500);
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(logs.findLast((l) => l['code'] === 'ATOLL_DATA_INVALID_RESULT')?.msg).toContain('result.redirect.destination: contains a line break or control character');
  });

  test('notFound renders the 404 error route with status 404', async () => {
    const response = await get('/missing');
    expect(response.statusCode).toBe(404);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toContain('<h1>Nothing here</h1>');
    expect(response.body).toContain('<title>Not found</title>');
  });

  test('an unknown path renders the 404 error route', async () => {
    const response = await get('/no/such/page?x=<b>');
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('<h1>Nothing here</h1>');
    expect(response.body).not.toContain('<b>');
  });

  test('a malformed percent-escape is a 400', async () => {
    expect((await get('/ctx/%E0%A4%A')).statusCode).toBe(400);
  });
});

describe('cache TTL', () => {
  test.each([
    ['', 'public, max-age=3600, stale-while-revalidate=60'],
    ['?ttl=60s', 'public, max-age=60, stale-while-revalidate=60'],
    ['?ttl=10%20minutes', 'public, max-age=600, stale-while-revalidate=60'],
    ['?ttl=45&kind=number', 'public, max-age=45, stale-while-revalidate=60'],
    ['?ttl=2%20days', 'public, max-age=3600, stale-while-revalidate=60'],
    ['?ttl=0&kind=number', 'private, no-cache'],
    ['?ttl=1.9&kind=number', 'public, max-age=1, stale-while-revalidate=60'],
  ])('route 1h with hook ttl %s → %s', async (query, header) => {
    expect((await get(`/ttl${query}`)).headers['cache-control']).toBe(header);
  });

  test.each(['60', '-5', 'abc', '-5s'])('a hook TTL %j without a valid unit is logged and ignored', async (ttl) => {
    const response = await get(`/ttl?ttl=${ttl}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=3600, stale-while-revalidate=60');
    const warning = logs.findLast((l) => l['code'] === 'ATOLL_TTL_INVALID');
    expect(warning?.msg).toContain(`TTL ${JSON.stringify(ttl)} is not a duration`);
  });

  test('no TTL anywhere → private, no-cache', async () => {
    expect((await get('/static')).headers['cache-control']).toBe('private, no-cache');
  });
});

describe('failures', () => {
  test('a hook that throws gives the 500 error route, logs route, tag and cause, and leaks nothing', async () => {
    for (const kind of ['error', 'string', 'sync']) {
      const response = await get(`/throw?kind=${kind}`);
      expect(response.statusCode).toBe(500);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.body).toContain('<h1>Sorry</h1>');
      expect(response.body).not.toMatch(/kaboom|thrown|boom/);
      const line = logs.findLast((l) => l['code'] === 'ATOLL_DATA_HOOK_FAILED')!;
      expect(line['routeId']).toBe('throw');
      expect(line['tag']).toBe('t-throw');
      expect(line.msg).toContain('getServerData of <t-throw> on route "throw" threw:');
    }
  });

  test('crossRequestCache.set with a bad TTL fails the hook with ATOLL_CACHE_TTL_INVALID as the logged cause', async () => {
    const response = await get('/throw?kind=ttl');
    expect(response.statusCode).toBe(500);
    expect(response.body).toContain('<h1>Sorry</h1>');
    const line = logs.findLast((l) => l['code'] === 'ATOLL_DATA_HOOK_FAILED')!;
    expect(line.msg).toContain(
      'getServerData of <t-throw> on route "throw" threw: ATOLL_CACHE_TTL_INVALID: crossRequestCache.set("t-throw"): ttl must be a positive number of seconds, got -5.',
    );
  });

  test('a component whose render throws gives a 500, never a truncated 200', async () => {
    const response = await get('/render-throw');
    expect(response.statusCode).toBe(500);
    expect(response.body).toContain('<h1>Sorry</h1>');
    expect(logs.findLast((l) => l['code'] === 'ATOLL_RENDER_FAILED')?.msg).toContain('Rendering <t-render-throw> on route "render-throw" threw: render exploded');
  });

  test('SSR_TIMEOUT bounds the page: a slow hook gives a 500 naming it, and its signal is aborted', async () => {
    const g = globalThis as unknown as Record<string, number | undefined>;
    const finishedBefore = g['__slowFinished'] ?? 0;
    const response = await get('/slow?ms=1500');
    expect(response.statusCode).toBe(500);
    // The 500 was sent while the hook was still waiting: the page did not wait for it.
    expect(g['__slowFinished'] ?? 0).toBe(finishedBefore);
    expect(logs.findLast((l) => l['code'] === 'ATOLL_DATA_TIMEOUT')?.msg).toContain(
      'Route "slow" did not finish data and render within 300 ms; still waiting for getServerData of <t-slow>',
    );
    await new Promise((resolve) => setTimeout(resolve, 1400));
    expect((globalThis as Record<string, unknown>)['__slowSignalAborted']).toBe(true);
    const fast = await get('/slow?ms=10');
    expect(fast.statusCode).toBe(200);
    expect((globalThis as Record<string, unknown>)['__slowSignalAborted']).toBe(false);
  });

  test('a hook that first reads its signal after SSR_TIMEOUT passed finds it aborted', async () => {
    (globalThis as Record<string, unknown>)['__slowSignalAborted'] = undefined;
    const response = await get('/slow?ms=600&late=1');
    expect(response.statusCode).toBe(500);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((globalThis as Record<string, unknown>)['__slowSignalAborted']).toBe(true);
  });

  test('pages do not wait for each other: their data hooks run at the same time', async () => {
    const g = globalThis as unknown as Record<string, number | undefined>;
    g['__slowMaxActive'] = 0;
    // Each hook returns once all three run (a loaded machine then has all of the route's 300 ms
    // to start them), or after 250 ms alone: pages served one after another end with 1.
    const responses = await Promise.all([get('/slow?ms=250&until=3'), get('/slow?ms=250&until=3'), get('/slow?ms=250&until=3')]);
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect(g['__slowMaxActive']).toBe(3);
  });

  test("a client that goes away aborts the data hooks' signal, and its page logs no error", async () => {
    const errorsBefore = logs.filter((l) => (l['level'] as number) >= 50).length;
    await server.listen({ port: 0, host: '127.0.0.1' });
    const { port } = server.server.address() as { port: number };
    (globalThis as Record<string, unknown>)['__slowSignalAborted'] = undefined;
    const { request } = await import('node:http');
    const req = request({ host: '127.0.0.1', port, path: '/slow?ms=250' });
    req.on('error', () => undefined);
    req.end();
    setTimeout(() => req.destroy(), 50);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((globalThis as Record<string, unknown>)['__slowSignalAborted']).toBe(true);
    const reason = (globalThis as Record<string, unknown>)['__slowSignalReason'];
    expect(AtollError.is(reason) && [reason.code, reason.message, reason.routeId]).toEqual([
      'ATOLL_CLIENT_GONE',
      'The client of route "slow" closed the connection before its page was sent.',
      'slow',
    ]);
    // Nobody is left to see a 500: no error line (a timeout or hook failure would log one).
    expect(logs.filter((l) => (l['level'] as number) >= 50).slice(errorsBefore)).toEqual([]);
  });

  test('one line per request with route id, status and time', async () => {
    await get('/static?probe=log');
    const line = logs.findLast((l) => l.msg === 'request')!;
    expect(line).toMatchObject({ routeId: 'static', status: 200, method: 'GET', url: '/static?probe=log' });
    expect(typeof line['ms']).toBe('number');
  });

  test("a request's own lines and its request line carry its request id, one id per request", async () => {
    const ids = [];
    for (const probe of ['a', 'b']) {
      await get(`/throw?kind=error&probe=${probe}`);
      const requestLine = logs.findLast((l) => l.msg === 'request')!;
      const errorLine = logs.findLast((l) => l['code'] === 'ATOLL_DATA_HOOK_FAILED')!;
      expect(requestLine).toMatchObject({ url: `/throw?kind=error&probe=${probe}`, status: 500 });
      expect(typeof requestLine['reqId']).toBe('string');
      expect(errorLine['reqId']).toBe(requestLine['reqId']);
      ids.push(requestLine['reqId']);
    }
    expect(ids[0]).not.toBe(ids[1]);
  });
});
