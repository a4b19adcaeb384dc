import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { litComponent, startApp, writeApp } from '../helpers/write-app.js';
import { AtollError } from '../../src/errors.js';

/** Tags here are unique to this file (one custom element registry per test process). */
const form = litComponent('fa-form', {
  properties: 'result: { attribute: false }',
  render: '<p>${this.result}</p>',
  extra: `
export async function getServerData({ actionResult, method }) {
  return { props: { result: method + ':' + JSON.stringify(actionResult ?? null) }, cache: { ttl: 60 } };
}
export const actions = {
  async add({ form, cookies, setCookie }) {
    if (typeof form.name !== 'string' || form.name === '') return { status: 422, data: { error: 'name is required', kept: form } };
    setCookie('cart', [cookies.cart, form.name].filter(Boolean).join(','));
    return { redirect: '/done' };
  },
  echo({ form }) {
    return { fields: form, keys: Object.keys(form), proto: Object.getPrototypeOf(form) === null };
  },
  files({ form }) {
    const f = form.upload;
    return { name: f.filename, type: f.type, size: f.data.length, note: form.note };
  },
  nothing() {},
  boom() { throw new Error('db down <b>'); },
  bad() { return { redirect: '//evil.example' }; },
  badStatus() { return { status: 302, data: 1 }; },
  cyclic() { const a = {}; a.self = a; return a; },
};`,
});
const other = litComponent('fa-other', { render: 'other', extra: 'export const actions = { other() { return { redirect: "https://example.com/x" }; } };' });

const root = writeApp({
  'app.config.json': {
    routes: [
      { id: 'form', path: '/form', contentTemplate: 'templates/form.html', cache: { ttl: 60 } },
      { id: 'plain', path: '/plain', contentTemplate: 'templates/plain.html' },
    ],
    forms: { allowedOrigins: ['https://partner.example'], bodyLimit: 2048, maxFiles: 1, maxFileSize: 1024 },
  },
  'templates/form.html': '<fa-form></fa-form><fa-other></fa-other>',
  'templates/plain.html': '<p>plain</p>',
  'components/fa-form.ts': form,
  'components/fa-other.ts': other,
});
const FORM = 'application/x-www-form-urlencoded';

function multipart(parts: { name: string; filename?: string; type?: string; body: string | Buffer }[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = 'XyZboundary42';
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${part.type === undefined ? '' : `Content-Type: ${part.type}\r\n`}\r\n`));
    chunks.push(Buffer.isBuffer(part.body) ? part.body : Buffer.from(part.body));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('form actions', () => {
  test('a valid post redirects with 303 and sets the cookie; the next post reads it', async () => {
    const { server } = await startApp(root);
    const first = await server.inject({ method: 'POST', url: '/form?/add', headers: { 'content-type': FORM, host: 'shop.test', origin: 'http://shop.test' }, payload: 'name=tea' });
    expect(first.statusCode).toBe(303);
    expect(first.headers['location']).toBe('/done');
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.headers['set-cookie']).toBe('cart=tea; Path=/; HttpOnly; SameSite=Lax');
    const second = await server.inject({ method: 'POST', url: '/form?/add', headers: { 'content-type': FORM, cookie: 'cart=tea' }, payload: 'name=cup' });
    expect(second.headers['set-cookie']).toBe('cart=tea%2Ccup; Path=/; HttpOnly; SameSite=Lax');
    await server.close();
  });

  test('invalid input renders the page again with 422, the errors and the kept values, never cached', async () => {
    const { server } = await startApp(root);
    const response = await server.inject({ method: 'POST', url: '/form?/add', headers: { 'content-type': FORM }, payload: 'name=&note=%3Cb%3Ehi' });
    expect(response.statusCode).toBe(422);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(response.body).toContain(
      '<p><!--lit-part-->POST:{&quot;action&quot;:&quot;add&quot;,&quot;status&quot;:422,&quot;data&quot;:{&quot;error&quot;:&quot;name is required&quot;,&quot;kept&quot;:{&quot;name&quot;:&quot;&quot;,&quot;note&quot;:&quot;&lt;b&gt;hi&quot;}}}<!--/lit-part--></p>',
    );
    // The page cache was not filled by the POST: the GET renders its own page, without actionResult.
    const page = await server.inject('/form');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<p><!--lit-part-->GET:null<!--/lit-part--></p>');
    expect(page.headers['cache-control']).toBe('public, max-age=60, stale-while-revalidate=60');
    await server.close();
  });

  test('JSON mode: { ok, status, data } and { ok, status, redirect }', async () => {
    const { server } = await startApp(root);
    const accept = 'application/json';
    const invalid = await server.inject({ method: 'POST', url: '/form?/add', headers: { 'content-type': FORM, accept }, payload: 'name=' });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(invalid.headers['cache-control']).toBe('no-store');
    expect(invalid.json()).toEqual({ ok: false, status: 422, data: { error: 'name is required', kept: { name: '' } } });
    const ok = await server.inject({ method: 'POST', url: '/form?/add', headers: { 'content-type': 'application/json', accept }, payload: '{"name":"tea"}' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ ok: true, status: 303, redirect: '/done' });
    expect(ok.headers['set-cookie']).toBe('cart=tea; Path=/; HttpOnly; SameSite=Lax');
    const other = await server.inject({ method: 'POST', url: '/form?/other', headers: { accept } });
    expect(other.json()).toEqual({ ok: true, status: 303, redirect: 'https://example.com/x' });
    const nothing = await server.inject({ method: 'POST', url: '/form?/nothing', headers: { accept } });
    expect(nothing.json()).toEqual({ ok: true, status: 200, data: null });
    await server.close();
  });

  test('repeated names become arrays; __proto__ and constructor stay fields', async () => {
    const { server } = await startApp(root);
    const response = await server.inject({
      method: 'POST',
      url: '/form?/echo',
      headers: { 'content-type': FORM, accept: 'application/json' },
      payload: 'size=s&size=m&__proto__=x&constructor=y&__proto__%5Bpolluted%5D=1',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      ok: true,
      status: 200,
      data: {
        fields: { size: ['s', 'm'], ['__proto__']: 'x', constructor: 'y', '__proto__[polluted]': '1' },
        keys: ['size', '__proto__', 'constructor', '__proto__[polluted]'],
        proto: true,
      },
    });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const multi = multipart([
      { name: 'tag', body: '1' },
      { name: 'tag', body: '2' },
      { name: 'x', body: '3' },
    ]);
    const fromMultipart = await server.inject({ method: 'POST', url: '/form?/echo', headers: { ...multi.headers, accept: 'application/json' }, payload: multi.payload });
    expect(fromMultipart.json()).toEqual({ ok: true, status: 200, data: { fields: { tag: ['1', '2'], x: '3' }, keys: ['tag', 'x'], proto: true } });
    // @fastify/multipart refuses field names of Object.prototype (400) rather than keep them.
    for (const name of ['__proto__', 'constructor']) {
      const hostile = multipart([{ name, body: 'a' }]);
      expect((await server.inject({ method: 'POST', url: '/form?/echo', headers: hostile.headers, payload: hostile.payload })).statusCode).toBe(400);
    }
    // JSON bodies with __proto__ keys are refused by fastify's parser (400), never a 500.
    const json = await server.inject({ method: 'POST', url: '/form?/echo', headers: { 'content-type': 'application/json' }, payload: '{"__proto__":{"polluted":1}}' });
    expect(json.statusCode).toBe(400);
    await server.close();
  });

  test('files through multipart, bounded in size and count (413)', async () => {
    const { server } = await startApp(root);
    const ok = multipart([
      { name: 'note', body: 'hello' },
      { name: 'upload', filename: 'a.txt', type: 'text/plain', body: 'x'.repeat(1000) },
    ]);
    const response = await server.inject({ method: 'POST', url: '/form?/files', headers: { ...ok.headers, accept: 'application/json' }, payload: ok.payload });
    expect(response.json()).toEqual({ ok: true, status: 200, data: { name: 'a.txt', type: 'text/plain', size: 1000, note: 'hello' } });
    const big = multipart([{ name: 'upload', filename: 'a.txt', type: 'text/plain', body: 'x'.repeat(1025) }]);
    expect((await server.inject({ method: 'POST', url: '/form?/files', headers: big.headers, payload: big.payload })).statusCode).toBe(413);
    const two = multipart([
      { name: 'upload', filename: 'a.txt', body: 'a' },
      { name: 'upload', filename: 'b.txt', body: 'b' },
    ]);
    expect((await server.inject({ method: 'POST', url: '/form?/files', headers: two.headers, payload: two.payload })).statusCode).toBe(413);
    const longField = multipart([{ name: 'note', body: 'n'.repeat(3000) }]);
    expect((await server.inject({ method: 'POST', url: '/form?/echo', headers: longField.headers, payload: longField.payload })).statusCode).toBe(413);
    const truncated = await server.inject({ method: 'POST', url: '/form?/echo', headers: ok.headers, payload: ok.payload.subarray(0, 60) });
    expect(truncated.statusCode).toBe(400);
    await server.close();
  });

  test('limits and refusals: 413, 400, 404 unknown action, 405 with Allow, 415', async () => {
    const { server, logs } = await startApp(root);
    const tooLarge = await server.inject({ method: 'POST', url: '/form?/echo', headers: { 'content-type': FORM }, payload: `a=${'x'.repeat(3000)}` });
    expect(tooLarge.statusCode).toBe(413);
    const malformed = await server.inject({ method: 'POST', url: '/form?/echo', headers: { 'content-type': 'application/json' }, payload: '{"a":' });
    expect(malformed.statusCode).toBe(400);
    const notObject = await server.inject({ method: 'POST', url: '/form?/echo', headers: { 'content-type': 'application/json' }, payload: '[1]' });
    expect(notObject.statusCode).toBe(400);
    expect((await server.inject({ method: 'POST', url: '/form?/nope' })).statusCode).toBe(404);
    expect((await server.inject({ method: 'POST', url: '/form?/__proto__' })).statusCode).toBe(404);
    expect((await server.inject({ method: 'POST', url: '/form?/constructor' })).statusCode).toBe(404);
    expect((await server.inject({ method: 'POST', url: '/form' })).statusCode).toBe(404);
    expect((await server.inject({ method: 'POST', url: '/form?/add', headers: { 'content-type': 'text/csv' }, payload: 'a,b' })).statusCode).toBe(415);
    // Request bodies are never decompressed: a compressed one is 415 before the action runs; identity passes.
    const gzipped = await server.inject({ method: 'POST', url: '/form?/add', headers: { 'content-type': FORM, 'content-encoding': 'gzip' }, payload: gzipSync('name=tea') });
    expect(gzipped.statusCode).toBe(415);
    expect(gzipped.headers['set-cookie']).toBeUndefined();
    expect(logs.find((l) => l.msg === 'compressed request body refused')).toMatchObject({ routeId: 'form', encoding: 'gzip' });
    const identity = await server.inject({ method: 'POST', url: '/form?/add', headers: { 'content-type': FORM, 'content-encoding': 'Identity' }, payload: 'name=tea' });
    expect(identity.statusCode).toBe(303);
    expect(identity.headers['set-cookie']).toContain('cart=tea');
    const put = await server.inject({ method: 'PUT', url: '/form' });
    expect(put.statusCode).toBe(405);
    expect(put.headers['allow']).toBe('GET, HEAD, POST');
    expect((await server.inject({ method: 'OPTIONS', url: '/form' })).headers['allow']).toBe('GET, HEAD, POST');
    const plain = await server.inject({ method: 'POST', url: '/plain?/add' });
    expect(plain.statusCode).toBe(405);
    expect(plain.headers['allow']).toBe('GET, HEAD');
    // A GET never runs an action, whatever its query says.
    const get = await server.inject('/form?/add');
    expect(get.statusCode).toBe(200);
    expect(get.headers['set-cookie']).toBeUndefined();
    expect(logs.filter((l) => l.level >= 50)).toEqual([]);
    await server.close();
  });

  test('cross-site posts are 403 before the action runs; same host, the allow-list and no Origin pass', async () => {
    const { server } = await startApp(root);
    const post = (headers: Record<string, string | undefined>) =>
      server.inject({ method: 'POST', url: '/form?/add', headers: { 'content-type': FORM, host: 'shop.test', ...headers }, payload: 'name=tea' });
    for (const headers of [
      { origin: 'http://evil.test' },
      { origin: 'null' },
      { origin: 'http://shop.test.evil.test' },
      { origin: 'javascript:alert(1)' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'http://shop.test:8080' },
    ]) {
      const refused = await post(headers);
      expect(refused.statusCode, JSON.stringify(headers)).toBe(403);
      expect(refused.headers['set-cookie']).toBeUndefined();
    }
    for (const headers of [{ origin: 'http://shop.test' }, { origin: 'https://shop.test' }, { origin: 'https://partner.example' }, { 'sec-fetch-site': 'same-origin' }, {}]) {
      expect((await post(headers)).statusCode, JSON.stringify(headers)).toBe(303);
    }
    await server.close();
  });

  test('an action that throws or returns an invalid result is a logged 500 with a code', async () => {
    const { server, logs } = await startApp(root);
    const boom = await server.inject({ method: 'POST', url: '/form?/boom' });
    expect(boom.statusCode).toBe(500);
    expect(boom.body).not.toContain('db down');
    expect((await server.inject({ method: 'POST', url: '/form?/boom', headers: { accept: 'application/json' } })).json()).toEqual({ ok: false, status: 500 });
    expect((await server.inject({ method: 'POST', url: '/form?/bad' })).statusCode).toBe(500);
    expect((await server.inject({ method: 'POST', url: '/form?/badStatus' })).statusCode).toBe(500);
    expect((await server.inject({ method: 'POST', url: '/form?/cyclic' })).statusCode).toBe(500);
    const codes = logs.filter((l) => l.level >= 50).map((l) => l['code']);
    expect(codes).toEqual(['ATOLL_ACTION_FAILED', 'ATOLL_ACTION_FAILED', 'ATOLL_ACTION_INVALID_RESULT', 'ATOLL_ACTION_INVALID_RESULT', 'ATOLL_ACTION_INVALID_RESULT']);
    expect(logs.find((l) => l['code'] === 'ATOLL_ACTION_FAILED')?.msg).toContain('Action "boom" of <fa-form> on route "form" threw: db down <b>');
    await server.close();
  });

  test('signed cookies with COOKIE_SECRET: set signed, read verified, tampered ones dropped', async () => {
    const { server } = await startApp(root, { cookieSecret: 's3cret-for-tests' });
    const first = await server.inject({ method: 'POST', url: '/form?/add', headers: { 'content-type': FORM }, payload: 'name=tea' });
    const setCookie = String(first.headers['set-cookie']);
    expect(setCookie).toMatch(/^cart=tea\.[A-Za-z0-9+/=%_-]+; Path=\/; HttpOnly; SameSite=Lax$/);
    const signed = setCookie.split(';')[0]!.slice('cart='.length);
    const second = await server.inject({ method: 'POST', url: '/form?/add', headers: { 'content-type': FORM, cookie: `cart=${signed}` }, payload: 'name=cup' });
    expect(String(second.headers['set-cookie'])).toMatch(/^cart=tea%2Ccup\./);
    // An edited cookie fails verification: the action sees no cart.
    const forged = await server.inject({ method: 'POST', url: '/form?/add', headers: { 'content-type': FORM, cookie: 'cart=everything.AAAA' }, payload: 'name=cup' });
    expect(String(forged.headers['set-cookie'])).toMatch(/^cart=cup\./);
    await server.close();
  });
});

test('two root components of one route exporting the same action name is a startup error', async () => {
  const dup = writeApp({
    'app.config.json': { routes: [{ id: 'dup', path: '/', contentTemplate: 'templates/dup.html' }] },
    'templates/dup.html': '<fa-one></fa-one><fa-two></fa-two><fa-one></fa-one>',
    'components/fa-one.ts': litComponent('fa-one', { render: '1', extra: 'export const actions = { save() {} };' }),
    'components/fa-two.ts': litComponent('fa-two', { render: '2', extra: 'export const actions = { save() {} };' }),
  });
  const error = await startApp(dup).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(AtollError.is(error) && error.code).toBe('ATOLL_ACTION_DUPLICATE');
  expect((error as Error).message).toBe('Form action names must be unique per route:\n  - route "dup": action "save" is exported by both <fa-one> and <fa-two>');
});

test('an actions export that is not an object of named functions is ATOLL_COMPONENT_INVALID', async () => {
  const bad = writeApp({
    'app.config.json': { routes: [{ id: 'bad', path: '/', contentTemplate: 'templates/bad.html' }] },
    'templates/bad.html': '<fa-bad></fa-bad>',
    'components/fa-bad.ts': litComponent('fa-bad', { render: '1', extra: 'export const actions = { save: 42 };' }),
  });
  const error = await startApp(bad).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(AtollError.is(error) && error.code).toBe('ATOLL_COMPONENT_INVALID');
  expect((error as Error).message).toContain('its action "save" is a number, not a function');
});

describe('locales in the URL', () => {
  // A separate app: path-prefix locales. The action and the page it renders again both take the
  // URL's locale, not the Accept-Language one (the pipeline and postAction share that rule).
  const localized = writeApp({
    'app.config.json': {
      i18n: { defaultLocale: 'en', locales: ['en', 'fr'], uriPattern: 'path-prefix' },
      routes: [{ id: 'form', path: '/form', contentTemplate: 'templates/form.html' }],
    },
    'templates/form.html': '<fl-form></fl-form>',
    'components/fl-form.ts': litComponent('fl-form', {
      properties: 'text: {}',
      render: '<p>${this.text}</p>',
      extra: `
export function getServerData({ locale, actionResult }) {
  return { props: { text: locale + ':' + JSON.stringify(actionResult?.data ?? null) } };
}
export const actions = { where({ locale }) { return { status: 422, data: { actionLocale: locale } }; } };`,
    }),
  });

  test('a post to /fr/… runs its action in fr and renders the page again in fr, whatever Accept-Language says', async () => {
    const { server } = await startApp(localized);
    try {
      for (const [url, want] of [
        ['/fr/form?/where', 'fr'],
        ['/form?/where', 'en'],
      ] as const) {
        const response = await server.inject({ method: 'POST', url, headers: { 'content-type': FORM, 'accept-language': want === 'fr' ? 'en' : 'fr' }, payload: 'a=1' });
        expect(response.statusCode, url).toBe(422);
        expect(response.body, url).toContain(`<p><!--lit-part-->${want}:{&quot;actionLocale&quot;:&quot;${want}&quot;}<!--/lit-part--></p>`);
      }
    } finally {
      await server.close();
    }
  });
});
