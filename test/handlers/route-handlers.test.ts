import { gzipSync } from 'node:zlib';
import { existsSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { describe, expect, test } from 'vitest';
import { litComponent, startApp, writeApp } from '../helpers/write-app.js';
import { AtollError } from '../../src/errors.js';
import { createServer } from '../../src/server/create-server.js';
import { generateSite } from '../../src/generate/generate-site.js';

/** Tags here are unique to this file (one custom element registry per test process). */
const summary = litComponent('rh-summary', {
  properties: 'items: { attribute: false }',
  render: '<p>items: ${this.items}</p>',
  extra: 'export async function getServerData({ query }) { return { props: { items: query.items ?? "none" } }; }',
});

const api = `
export function GET({ params, query, method, locale, basePath, url }) {
  return { body: { id: params.id, query, method, locale, basePath, url }, headers: { 'X-Item': params.id } };
}
export async function POST({ body, params }) {
  return { status: 201, body: { id: params.id, received: body, proto: body !== null && typeof body === 'object' ? Object.getPrototypeOf(body) === null : 'n/a' } };
}
export default function other({ method }) {
  return { status: 204, body: '' , headers: { 'x-method': method } };
}
`;

const cart = `
export function GET(context) {
  const { query } = context;
  switch (query.mode) {
    case 'params': return { view: { contentTemplate: 'templates/cart.html' }, viewParams: { title: query.title, note: query.note } };
    case 'summary': return { view: { rootComponent: 'rh-summary' }, headers: { 'x-view': 'summary' } };
    case 'cookie': return { view: { contentTemplate: 'templates/cart.html' }, viewParams: { title: 'Yours', note: context.cookies.cart ?? 'empty' } };
    case 'status': return { view: { contentTemplate: 'templates/cart.html' }, status: 410 };
    case 'ttl': return { view: { contentTemplate: 'templates/cart.html' }, cache: { ttl: '2 minutes' } };
    default: return { view: { contentTemplate: 'templates/cart.html' } };
  }
}
export function POST({ body, setCookie }) {
  setCookie('cart', String(body.item));
  return { view: { contentTemplate: 'templates/cart.html' }, viewParams: { title: 'Added', note: body.item }, status: 201 };
}
`;

const bad = `
const cases = {
  crlf: () => ({ body: 'x', headers: { 'x-evil': 'a\\r\\nset-cookie: pwned=1' } }),
  lf: () => ({ body: 'x', headers: { 'x-evil': 'a\\nb' } }),
  name: () => ({ body: 'x', headers: { 'bad name': 'v' } }),
  colon: () => ({ body: 'x', headers: { 'x-a:b': 'v' } }),
  setcookie: () => ({ body: 'x', headers: { 'Set-Cookie': 'a=1' } }),
  length: () => ({ body: 'x', headers: { 'content-length': '999' } }),
  location: () => ({ status: 302, body: '', headers: { location: '//evil.example/' } }),
  twice: () => ({ body: 'x', headers: { 'X-A': '1', 'x-a': '2' } }),
  viewheader: () => ({ view: { contentTemplate: 'templates/cart.html' }, headers: { 'content-type': 'text/plain' } }),
  neither: () => ({ status: 200 }),
  both: () => ({ view: { contentTemplate: 'templates/cart.html' }, body: 'x' }),
  unknownview: () => ({ view: { contentTemplate: 'templates/secret.html' } }),
  twocontents: () => ({ view: { contentTemplate: 'templates/cart.html', rootComponent: 'rh-summary' } }),
  missingparam: () => ({ view: { contentTemplate: 'templates/cart.html' }, viewParams: { title: 'no note' } }),
  bigint: () => ({ body: { n: 1n } }),
  fn: () => ({ body: () => 1 }),
  status: () => ({ body: 'x', status: 99 }),
  viewstatus: () => ({ view: { contentTemplate: 'templates/cart.html' }, status: 302 }),
  nothing: () => undefined,
  extra: () => ({ body: 'x', colour: 'red' }),
  ttl: () => ({ view: { contentTemplate: 'templates/cart.html' }, cache: { ttl: 'soon' } }),
  throws: () => { throw new Error('db down <b>'); },
  rejects: async () => Promise.reject('plain string'),
};
export function GET({ params }) { return cases[params.case](); }
`;

const files = `
export function GET({ query }) {
  if (query.kind === 'buffer') return { body: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 255]), headers: { 'content-type': 'image/png', 'cache-control': 'public, max-age=60' } };
  if (query.kind === 'text') return { body: 'plain <b>text</b>' };
  if (query.kind === 'redirect') return { status: 303, body: '', headers: { location: '/cart' } };
  if (query.kind === 'personal') return { body: 'hi', headers: { 'cache-control': 'public, max-age=60, s-maxage=600', 'x-ua': String(arguments[0].headers['user-agent'] ?? '') } };
  return { body: [1, 'two', null] };
}
`;

const root = writeApp({
  'app.config.json': {
    basePath: '/shop',
    routes: [
      { id: 'api', path: '/api/items/:id', routeHandler: 'handlers/api.ts', method: ['GET', 'POST', 'DELETE', 'PUT'] },
      {
        id: 'cart',
        path: '/cart',
        routeHandler: 'handlers/cart.ts',
        method: ['GET', 'POST'],
        properties: { title: 'Cart', note: 'none' },
        layoutTemplate: 'templates/layout.html',
        views: [{ contentTemplate: 'templates/cart.html' }, { rootComponent: 'rh-summary' }],
      },
      { id: 'bad', path: '/bad/:case', routeHandler: 'handlers/bad.ts', views: [{ contentTemplate: 'templates/cart.html' }], properties: { title: 't', note: 'n' } },
      { id: 'files', path: '/files', routeHandler: 'handlers/files.ts' },
      { id: 'submit', path: '/submit', routeHandler: 'handlers/api.ts', method: ['POST'] },
      { id: 'page', path: '/page', contentTemplate: 'templates/secret.html' },
    ],
    forms: { bodyLimit: 2048, maxFiles: 1, maxFileSize: 1024 },
  },
  'templates/layout.html': '<!DOCTYPE html>\n<html>\n<head>\n<title>{{ title }}</title>\n</head>\n<body>\n{{{ body }}}\n</body>\n</html>\n',
  'templates/cart.html': '<h1>{{ title }}</h1><p class="{{ note }}">{{ note }}</p>',
  'templates/secret.html': '<p>a page route</p>',
  'components/rh-summary.ts': summary,
  'handlers/api.ts': api,
  'handlers/cart.ts': cart,
  'handlers/bad.ts': bad,
  'handlers/files.ts': files,
});
const JSON_TYPE = 'application/json';

describe('route handlers: raw responses', () => {
  test('GET returns JSON with the request context; HEAD runs GET without a body', async () => {
    const { server } = await startApp(root);
    const response = await server.inject('/shop/api/items/7?a=1&a=2&b=%3Cx%3E');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['x-item']).toBe('7');
    expect(JSON.parse(response.body)).toEqual({
      id: '7',
      query: { a: ['1', '2'], b: '<x>' },
      method: 'GET',
      locale: 'en-US',
      basePath: '/shop',
      url: '/api/items/7?a=1&a=2&b=%3Cx%3E',
    });
    const head = await server.inject({ method: 'HEAD', url: '/shop/api/items/7' });
    expect(head.statusCode).toBe(200);
    expect(head.headers['x-item']).toBe('7');
    expect(head.body).toBe('');
    await server.close();
  });

  test('POST gets the parsed JSON body, a form body as null-prototype fields; status from the handler, never stored', async () => {
    const { server } = await startApp(root);
    const json = await server.inject({ method: 'POST', url: '/shop/api/items/3', headers: { 'content-type': JSON_TYPE }, payload: JSON.stringify({ qty: 2, tags: ['a'] }) });
    expect(json.statusCode).toBe(201);
    expect(json.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(json.body)).toEqual({ id: '3', received: { qty: 2, tags: ['a'] }, proto: false });
    const array = await server.inject({ method: 'POST', url: '/shop/api/items/3', headers: { 'content-type': JSON_TYPE }, payload: '[1,2]' });
    expect(JSON.parse(array.body).received).toEqual([1, 2]);
    const form = await server.inject({
      method: 'POST',
      url: '/shop/api/items/3',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: '__proto__=x&constructor=y&a=1&a=2',
    });
    expect(JSON.parse(form.body)).toEqual({ id: '3', received: JSON.parse('{"__proto__":"x","constructor":"y","a":["1","2"]}'), proto: true });
    const text = await server.inject({ method: 'POST', url: '/shop/api/items/3', headers: { 'content-type': 'text/plain' }, payload: 'hello' });
    expect(JSON.parse(text.body).received).toBe('hello');
    await server.close();
  });

  test('a method without its own export runs the default export', async () => {
    const { server } = await startApp(root);
    const response = await server.inject({ method: 'DELETE', url: '/shop/api/items/3' });
    expect(response.statusCode).toBe(204);
    expect(response.headers['x-method']).toBe('DELETE');
    await server.close();
  });

  test('a Buffer is sent byte for byte with its content-type; a string is text/plain; a redirect gets basePath', async () => {
    const { server } = await startApp(root);
    const buffer = await server.inject('/shop/files?kind=buffer');
    expect(buffer.headers['content-type']).toBe('image/png');
    expect(buffer.headers['cache-control']).toBe('public, max-age=60');
    expect([...buffer.rawPayload]).toEqual([0x89, 0x50, 0x4e, 0x47, 0, 255]);
    const text = await server.inject('/shop/files?kind=text');
    expect(text.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(text.body).toBe('plain <b>text</b>');
    const redirect = await server.inject('/shop/files?kind=redirect');
    expect(redirect.statusCode).toBe(303);
    expect(redirect.headers['location']).toBe('/shop/cart');
    const list = await server.inject('/shop/files');
    expect(list.body).toBe('[1,"two",null]');
    await server.close();
  });

  test('a handler that read headers cannot make its response public', async () => {
    const { server } = await startApp(root);
    const response = await server.inject({ url: '/shop/files?kind=personal', headers: { 'user-agent': 'me' } });
    expect(response.headers['cache-control']).toBe('private, max-age=60');
    expect(response.headers['x-ua']).toBe('me');
    await server.close();
  });
});

describe('route handlers: methods', () => {
  test('a method the route does not take is 405 with Allow, GET included; OPTIONS is 204 with Allow', async () => {
    const { server } = await startApp(root);
    const patch = await server.inject({ method: 'PATCH', url: '/shop/api/items/1', headers: { 'content-type': JSON_TYPE }, payload: '{}' });
    expect(patch.statusCode).toBe(405);
    expect(patch.headers['allow']).toBe('GET, HEAD, POST, PUT, DELETE');
    const get = await server.inject('/shop/submit');
    expect(get.statusCode).toBe(405);
    expect(get.headers['allow']).toBe('POST');
    const head = await server.inject({ method: 'HEAD', url: '/shop/submit' });
    expect(head.statusCode).toBe(405);
    const post = await server.inject({ method: 'POST', url: '/shop/files', payload: '' });
    expect(post.statusCode).toBe(405);
    expect(post.headers['allow']).toBe('GET, HEAD');
    const options = await server.inject({ method: 'OPTIONS', url: '/shop/cart' });
    expect(options.statusCode).toBe(204);
    expect(options.headers['allow']).toBe('GET, HEAD, POST');
    await server.close();
  });

  test('a cross-site POST to a handler is 403 before its body is read', async () => {
    const { server, logs } = await startApp(root);
    const response = await server.inject({
      method: 'POST',
      url: '/shop/api/items/1',
      headers: { 'content-type': JSON_TYPE, host: 'shop.test', origin: 'https://evil.example' },
      payload: '{"a":1}',
    });
    expect(response.statusCode).toBe(403);
    expect(logs.some((l) => l.msg === 'cross-site post refused')).toBe(true);
    const same = await server.inject({
      method: 'PUT',
      url: '/shop/api/items/1',
      headers: { 'content-type': JSON_TYPE, host: 'shop.test', origin: 'http://shop.test' },
      payload: '{}',
    });
    expect(same.statusCode).toBe(204);
    expect(same.headers['x-method']).toBe('PUT');
    await server.close();
  });
});

describe('route handlers: bodies and limits', () => {
  test('too large is 413, malformed JSON 400, __proto__ in JSON 400, an unknown type or a compressed body 415 — the handler never runs', async () => {
    const { server } = await startApp(root);
    const post = (payload: string, type = JSON_TYPE) => server.inject({ method: 'POST', url: '/shop/api/items/1', headers: { 'content-type': type }, payload });
    expect((await post(JSON.stringify({ big: 'x'.repeat(3000) }))).statusCode).toBe(413);
    expect((await post(`a=${'x'.repeat(3000)}`, 'application/x-www-form-urlencoded')).statusCode).toBe(413);
    expect((await post('{"a":')).statusCode).toBe(400);
    expect((await post('{"__proto__":{"polluted":1}}')).statusCode).toBe(400);
    expect((await post('<x/>', 'application/xml')).statusCode).toBe(415);
    const gzipped = await server.inject({ method: 'POST', url: '/shop/api/items/1', headers: { 'content-type': JSON_TYPE, 'content-encoding': 'gzip' }, payload: gzipSync('{}') });
    expect(gzipped.statusCode).toBe(415);
    expect(gzipped.headers['x-method']).toBeUndefined();
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    await server.close();
  });

  test('multipart files past maxFiles are 413', async () => {
    const { server } = await startApp(root);
    const boundary = 'b0undary';
    const part = (name: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${name}.txt"\r\nContent-Type: text/plain\r\n\r\nhi\r\n`;
    const response = await server.inject({
      method: 'POST',
      url: '/shop/api/items/1',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `${part('a')}${part('b')}--${boundary}--\r\n`,
    });
    expect(response.statusCode).toBe(413);
    await server.close();
  });
});

describe('route handlers: views', () => {
  test('a view renders through the page pipeline with the route layout and properties', async () => {
    const { server } = await startApp(root);
    const response = await server.inject('/shop/cart');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('private, no-cache');
    expect(response.body).toBe(
      '<!DOCTYPE html>\n<html>\n<head>\n<title>Cart</title>\n</head>\n<body><!--lit-part SNHYyx9KoPo=-->\n<h1>Cart</h1><p class="none">none</p>\n<!--/lit-part--></body>\n</html>\n',
    );
    await server.close();
  });

  test('viewParams replace the properties, escaped wherever they land', async () => {
    const { server } = await startApp(root);
    const title = '</title><script>alert(1)</script>';
    const note = '" onmouseover="alert(1)';
    const response = await server.inject(`/shop/cart?mode=params&title=${encodeURIComponent(title)}&note=${encodeURIComponent(note)}`);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>');
    expect(response.body).toContain(
      '<h1>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</h1><p class="&quot; onmouseover=&quot;alert(1)">&quot; onmouseover=&quot;alert(1)</p>',
    );
    expect(response.body).not.toContain('<script>');
    await server.close();
  });

  test("a root component view runs its data hook; the handler's headers are sent", async () => {
    const { server } = await startApp(root);
    const response = await server.inject('/shop/cart?mode=summary&items=3');
    expect(response.headers['x-view']).toBe('summary');
    expect(response.body).toContain('<rh-summary ><template shadowroot="open" shadowrootmode="open"><!--lit-part KEZE7buuzqk=--><p>items: <!--lit-part-->3<!--/lit-part--></p>');
    await server.close();
  });

  test('a handler that reads cookies makes the view personal: never public, never stored', async () => {
    const { server } = await startApp(root);
    for (let i = 0; i < 2; i++) {
      const response = await server.inject({ url: '/shop/cart?mode=cookie', headers: { cookie: `cart=tea${i}` } });
      expect(response.body).toContain(`<h1>Yours</h1><p class="tea${i}">tea${i}</p>`);
      expect(response.headers['x-atoll-cache']).toBe('bypass');
      expect(response.headers['cache-control']).not.toMatch(/public/);
    }
    await server.close();
  });

  test('cache.ttl makes a public view the page cache stores; the status replaces 200', async () => {
    const { server } = await startApp(root);
    const first = await server.inject('/shop/cart?mode=ttl');
    expect(first.headers['cache-control']).toBe('public, max-age=120, stale-while-revalidate=60');
    expect(first.headers['x-atoll-cache']).toBe('miss');
    expect((await server.inject('/shop/cart?mode=ttl')).headers['x-atoll-cache']).toBe('hit');
    const gone = await server.inject('/shop/cart?mode=status');
    expect(gone.statusCode).toBe(410);
    expect(gone.headers['cache-control']).toBe('no-store');
    await server.close();
  });

  test('POST with setCookie: signed cookie, the view with its status, no-store', async () => {
    const { server } = await startApp(root, { cookieSecret: 'a-secret-for-tests' });
    const response = await server.inject({
      method: 'POST',
      url: '/shop/cart',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'item=%3Ctea%3B%20Domain%3Devil.example',
    });
    expect(response.statusCode).toBe(201);
    expect(response.headers['cache-control']).toBe('no-store');
    // The value is percent-encoded: no cookie attribute can be injected through it.
    expect(String(response.headers['set-cookie'])).toMatch(/^cart=%3Ctea%3B%20Domain%3Devil\.example\.[A-Za-z0-9%_+/-]+; Path=\/shop; HttpOnly; SameSite=Lax$/);
    expect(response.body).toContain('<h1>Added</h1><p class="&lt;tea; Domain=evil.example">&lt;tea; Domain=evil.example</p>');
    await server.close();
  });
});

describe('route handlers: invalid results and failures are a coded, logged 500', () => {
  const cases: [string, RegExp][] = [
    ['crlf', /result\.headers\.x-evil: the value contains a line break or control character/],
    ['lf', /result\.headers\.x-evil: the value contains a line break/],
    ['name', /result\.headers: "bad name" is not a valid header name/],
    ['colon', /result\.headers: "x-a:b" is not a valid header name/],
    ['setcookie', /result\.headers\.Set-Cookie: use context\.setCookie/],
    ['length', /result\.headers\.content-length: Node sets this header/],
    ['location', /result\.headers\.location: "\/\/evil\.example\/" must start with a single "\/"/],
    ['twice', /result\.headers\.x-a: given twice/],
    ['viewheader', /result\.headers\.content-type: Atoll sets this header for a view/],
    ['neither', /result: has neither "view" nor "body"/],
    ['both', /result: has both "view" and "body"/],
    ['unknownview', /result\.view: contentTemplate templates\/secret\.html is not one of the views of route "bad" \(contentTemplate templates\/cart\.html\); add it/],
    ['twocontents', /result\.view: set exactly one of "contentTemplate" and "rootComponent"/],
    ['missingparam', /result\.viewParams: templates\/cart\.html \(route "bad" viewParams\): .*note/],
    ['bigint', /result\.body: not JSON \(Do not know how to serialize a BigInt\)/],
    ['fn', /result\.body: a function is not a string, a Buffer or a JSON value/],
    ['status', /result\.status/],
    ['viewstatus', /result\.status/],
    ['nothing', /result: a undefined; return an object with "view" or "body"/],
    ['extra', /result.*colour/],
    ['ttl', /result\.cache\.ttl: "soon" is not a duration/],
  ];
  test.each(cases)('%s', async (name, problem) => {
    const { server, logs } = await startApp(root);
    const response = await server.inject(`/shop/bad/${name}`);
    expect(response.statusCode).toBe(500);
    expect(response.headers['x-evil']).toBeUndefined();
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(response.body).not.toContain('evil');
    const line = logs.find((l) => l['code'] === 'ATOLL_HANDLER_INVALID_RESULT');
    expect(line?.msg).toMatch(/^routeHandler handlers\/bad\.ts of route "bad" returned an invalid result on GET:/);
    expect(line?.msg).toMatch(problem);
    expect(line?.['routeId']).toBe('bad');
    await server.close();
  });

  test('a handler that throws or rejects is ATOLL_HANDLER_FAILED, details only in development', async () => {
    const { server, logs } = await startApp(root);
    const response = await server.inject('/shop/bad/throws');
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('db down');
    expect(logs.find((l) => l['code'] === 'ATOLL_HANDLER_FAILED')?.msg).toMatch(/^routeHandler handlers\/bad\.ts of route "bad" threw on GET: db down <b>/);
    await server.inject('/shop/bad/rejects');
    expect(logs.filter((l) => l['code'] === 'ATOLL_HANDLER_FAILED')[1]?.msg).toMatch(/threw on GET: plain string/);
    await server.close();
    const dev = await startApp(root, { mode: 'development' });
    const page = await dev.server.inject('/shop/bad/throws');
    expect(page.body).toContain('ATOLL_HANDLER_FAILED');
    expect(page.body).toContain('db down &lt;b&gt;');
    await dev.server.close();
  });
});

describe('route handlers over a real socket', () => {
  test('hostile header values never split the response; JSON, 405 and 413 as with inject', async () => {
    const { server } = await startApp(root);
    await server.listen({ port: 0, host: '127.0.0.1' });
    const port = (server.server.address() as { port: number }).port;
    const send = (method: string, path: string, body?: string, type?: string) =>
      new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: type === undefined ? {} : { 'content-type': type } }, (res) => {
          let data = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (data += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
        });
        req.on('error', reject);
        req.end(body);
      });
    const crlf = await send('GET', '/shop/bad/crlf');
    expect(crlf.status).toBe(500);
    expect(crlf.headers['set-cookie']).toBeUndefined();
    const json = await send('POST', '/shop/api/items/9', '{"x":[1]}', JSON_TYPE);
    expect(json.status).toBe(201);
    expect(JSON.parse(json.body).received).toEqual({ x: [1] });
    const wrong = await send('PATCH', '/shop/api/items/9', '{}', JSON_TYPE);
    expect(wrong.status).toBe(405);
    expect(wrong.headers['allow']).toBe('GET, HEAD, POST, PUT, DELETE');
    const big = await send('POST', '/shop/api/items/9', JSON.stringify({ a: 'x'.repeat(5000) }), JSON_TYPE);
    expect(big.status).toBe(413);
    await server.close();
  });
});

describe('route handlers: startup errors', () => {
  const app = (handler: string, route: object = {}) =>
    writeApp({
      'app.config.json': { routes: [{ id: 'h', path: '/h', routeHandler: 'handlers/h.ts', ...route }] },
      'handlers/h.ts': handler,
    });
  const start = (root: string) => createServer({ root, mode: 'production', ssrTimeoutMs: 1000, logLevel: 'silent' });

  test('a method without a function, a non-function export and a module that throws are ATOLL_HANDLER_INVALID', async () => {
    await expect(start(app('export function GET() { return { body: 1 }; }', { method: ['GET', 'POST'] }))).rejects.toThrow(
      /routeHandler handlers\/h\.ts of route "h": the route takes POST but the module exports neither POST nor a default function/,
    );
    await expect(start(app('export const GET = 42;'))).rejects.toThrow(/its export GET is a number, not a function/);
    await expect(start(app('throw new Error("no db");'))).rejects.toThrow(/importing it threw: no db/);
    const error = await start(app('export const GET = 1;')).catch((e: unknown) => e);
    expect(AtollError.is(error) && error.code).toBe('ATOLL_HANDLER_INVALID');
  });

  test('config: routeHandler with contentTemplate, views without routeHandler, a missing module', async () => {
    const both = writeApp({
      'app.config.json': {
        routes: [
          { id: 'h', path: '/h', routeHandler: 'handlers/h.ts', contentTemplate: 't.html' },
          { id: 'p', path: '/p', contentTemplate: 't.html', views: [{ contentTemplate: 't.html' }] },
          { id: 'm', path: '/m', routeHandler: 'handlers/none.ts' },
        ],
      },
      'handlers/h.ts': 'export default () => ({ body: 1 });',
      't.html': '<p>t</p>',
    });
    const error = (await start(both).catch((e: unknown) => e)) as AtollError;
    expect(error.code).toBe('ATOLL_CONFIG_INVALID');
    expect(error.message).toContain('routes[0].contentTemplate: a route with "routeHandler" renders the views its handler returns; list this one in "views"');
    expect(error.message).toContain('routes[1].views: only a route with "routeHandler" takes "views"');
    expect(error.message).toContain('routes[2].routeHandler: file "handlers/none.ts" does not exist');
  });
});

describe('route handlers and npm run generate', () => {
  const app = (staticPaths: string[]) =>
    writeApp({
      'app.config.json': {
        routes: [
          { id: 'home', path: '/', contentTemplate: 't.html' },
          { id: 'api', path: '/api', routeHandler: 'handlers/api.ts' },
        ],
        staticSite: { paths: staticPaths },
      },
      't.html': '<p>home</p>',
      'handlers/api.ts': 'export const GET = () => ({ body: { ok: true } });',
    });

  test('a handler route is skipped with ATOLL_GENERATE_HANDLER_SKIPPED; the other pages are written', async () => {
    const root = app([]);
    const report = await generateSite({ root, outDir: `${root}/site`, concurrency: 2, ssrTimeoutMs: 5000 });
    expect(report.warnings.map((w) => [w.code, w.message])).toEqual([
      ['ATOLL_GENERATE_HANDLER_SKIPPED', 'Route "api" (/api) is answered by a routeHandler, which needs a server for every request; generate and check skip it.'],
    ]);
    expect(report.pages).toBe(1);
    expect(existsSync(`${root}/site/index.html`)).toBe(true);
    expect(existsSync(`${root}/site/api/index.html`)).toBe(false);
  });

  test('a staticSite.paths entry that matches a handler route is ATOLL_GENERATE_PATH_INVALID', async () => {
    const root = app(['/api']);
    await expect(generateSite({ root, outDir: `${root}/site`, concurrency: 2, ssrTimeoutMs: 5000 })).rejects.toThrow(
      /matches route "api", which a routeHandler answers per request/,
    );
  });
});

describe('route handlers and SSR_TIMEOUT', () => {
  test('a handler still pending at the deadline is a 500 with ATOLL_DATA_TIMEOUT, and its signal aborts', async () => {
    const root = writeApp({
      'app.config.json': { routes: [{ id: 'slow', path: '/slow', routeHandler: 'handlers/slow.ts' }] },
      // Settles only when its signal aborts, then reports it: the test orders on the abort, not on time.
      'handlers/slow.ts': `export const GET = ({ signal }) => new Promise((resolve) => signal.addEventListener('abort', () => { globalThis.rhAborted = signal.reason?.name; resolve({ body: 'late' }); }));`,
    });
    const { server, logs } = await startApp(root, { ssrTimeoutMs: 50 });
    const response = await server.inject('/slow');
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('late');
    expect(logs.find((l) => l['code'] === 'ATOLL_DATA_TIMEOUT')?.['routeId']).toBe('slow');
    expect((globalThis as { rhAborted?: string }).rhAborted).toBe('TimeoutError');
    await server.close();
  });
});
