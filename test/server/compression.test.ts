import { afterAll, beforeAll, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { brotliDecompressSync, createBrotliDecompress, gunzipSync } from 'node:zlib';
import { loadApp, type App } from '../../src/app.js';
import { serveApp } from '../../src/server/create-server.js';
import { COMPRESS_MIN_BYTES } from '../../src/cache/encode-variants.js';
import { cacheKey } from '../../src/cache/page-cache.js';
import { litComponent, writeApp } from '../helpers/write-app.js';
import { rawGet } from '../helpers/raw-http.js';

let app: App;
let server: FastifyInstance;
let port: number;

beforeAll(async () => {
  const root = writeApp({
    'app.config.json': {
      routes: [
        { id: 'cached', path: '/cached', contentTemplate: 'rows.html', cache: { ttl: 60 } },
        { id: 'tiny', path: '/tiny', contentTemplate: 'tiny.html', cache: { ttl: 60 } },
        { id: 'fresh', path: '/fresh', contentTemplate: 'rows.html' },
        { id: 'big', path: '/big', contentTemplate: 'big.html' },
      ],
    },
    'rows.html': '<x-rows count="40"></x-rows><x-island hydrate></x-island>',
    'big.html': '<h1>Big</h1><x-rows count="3000"></x-rows>',
    'tiny.html': '<p>hi</p>',
    'components/x-rows.ts': litComponent('x-rows', {
      properties: 'count: { type: Number }',
      render: '<ul>${Array.from({ length: this.count }, (_, i) => html`<li>Row ${i}: ${"x".repeat(40)}</li>`)}</ul>',
    }),
    'components/x-island.ts': litComponent('x-island', { render: '<button>${"island ".repeat(200)}</button>' }),
    'public/site.css': `body { color: red; }\n${'.a { margin: 0 }\n'.repeat(200)}`,
  });
  app = await loadApp(root, { mode: 'production', ssrTimeoutMs: 5000, streamMinChars: 10_000 });
  server = serveApp(app, { logLevel: 'silent', overload: { maxEventLoopDelayMs: 0 } });
  await server.listen({ port: 0, host: '127.0.0.1' });
  port = (server.server.address() as { port: number }).port;
});
afterAll(() => server.close());

test('a cached page is sent as the br or gzip variant stored with it, the identity body otherwise, always with Vary', async () => {
  const identity = await server.inject({ url: '/cached' });
  expect(identity.headers['x-atoll-cache']).toBe('miss');
  expect(identity.headers['content-encoding']).toBeUndefined();
  expect(identity.headers['vary']).toBe('accept-encoding');
  expect(identity.rawPayload.length).toBeGreaterThan(COMPRESS_MIN_BYTES);
  const stored = app.pageCache!.lookup(cacheKey('cached', '/cached', '', 'en-US'));
  if (stored.state !== 'fresh') throw new Error(`expected a fresh entry, got ${stored.state}`);

  const br = await server.inject({ url: '/cached', headers: { 'accept-encoding': 'gzip, deflate, br' } });
  expect(br.headers).toMatchObject({ 'x-atoll-cache': 'hit', 'content-encoding': 'br', vary: 'accept-encoding', etag: `${identity.headers['etag']!.slice(0, -1)}-br"` });
  // The hit sends the bytes compressed when the page was stored: no compression per request.
  expect(br.rawPayload.equals(stored.page.encoded.br!)).toBe(true);
  expect(brotliDecompressSync(br.rawPayload).equals(identity.rawPayload)).toBe(true);

  const gzip = await server.inject({ url: '/cached', headers: { 'accept-encoding': 'gzip' } });
  expect(gzip.headers['content-encoding']).toBe('gzip');
  expect(gzip.rawPayload.equals(stored.page.encoded.gzip!)).toBe(true);
  expect(gunzipSync(gzip.rawPayload).equals(identity.rawPayload)).toBe(true);

  // q-values count: gzip preferred over br, br refused.
  expect((await server.inject({ url: '/cached', headers: { 'accept-encoding': 'br;q=0.1, gzip' } })).headers['content-encoding']).toBe('gzip');
  expect((await server.inject({ url: '/cached', headers: { 'accept-encoding': 'br;q=0, identity' } })).headers['content-encoding']).toBeUndefined();
});

test("a variant's ETag in If-None-Match is a 304, as the identity ETag is", async () => {
  const br = await server.inject({ url: '/cached', headers: { 'accept-encoding': 'br' } });
  const again = await server.inject({ url: '/cached', headers: { 'accept-encoding': 'br', 'if-none-match': br.headers['etag'] as string } });
  expect(again.statusCode).toBe(304);
  expect(again.rawPayload.length).toBe(0);
  expect(again.headers['content-encoding']).toBeUndefined();
});

test('a body under the threshold is sent as it is, without Vary', async () => {
  const tiny = await server.inject({ url: '/tiny', headers: { 'accept-encoding': 'br, gzip' } });
  expect(tiny.rawPayload.length).toBeLessThan(COMPRESS_MIN_BYTES);
  expect(tiny.headers['content-encoding']).toBeUndefined();
  expect(tiny.headers['vary']).toBeUndefined();
  expect(tiny.body).toContain('<p>hi</p>');
});

test('an uncached page, island code and CSS assets are compressed by Accept-Encoding', async () => {
  const plain = await server.inject({ url: '/fresh' });
  const page = await server.inject({ url: '/fresh', headers: { 'accept-encoding': 'br' } });
  expect(page.headers['x-atoll-cache']).toBe('bypass');
  expect(page.headers).toMatchObject({ 'content-encoding': 'br', vary: 'accept-encoding' });
  expect(brotliDecompressSync(page.rawPayload).toString()).toBe(plain.body);

  const script = /href="([^"]+\.js)"/.exec(plain.body)![1]!;
  const js = await server.inject({ url: script, headers: { 'accept-encoding': 'gzip' } });
  const jsPlain = await server.inject({ url: script });
  expect(js.headers).toMatchObject({ 'content-encoding': 'gzip', vary: 'accept-encoding', 'content-type': 'text/javascript; charset=utf-8' });
  expect(gunzipSync(js.rawPayload).equals(jsPlain.rawPayload)).toBe(true);

  const css = await server.inject({ url: '/public/site.css', headers: { 'accept-encoding': 'br' } });
  expect(css.headers['content-encoding']).toBe('br');
  expect(brotliDecompressSync(css.rawPayload).toString()).toContain('body { color: red; }');
});

test('a streamed page stays streamed when compressed: each chunk on the wire decodes to the next part of the page', async () => {
  const whole = await rawGet(port, '/big');
  const streamed = await rawGet(port, '/big', { 'accept-encoding': 'br' });
  expect(streamed.headers).toMatch(/content-encoding: br/i);
  expect(streamed.headers).toMatch(/transfer-encoding: chunked/i);
  const chunks: Buffer[] = [];
  let rest = Buffer.from(streamed.body, 'latin1');
  for (;;) {
    const lineEnd = rest.indexOf('\r\n');
    const size = parseInt(rest.subarray(0, lineEnd).toString(), 16);
    if (size === 0) break;
    chunks.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
    rest = rest.subarray(lineEnd + 2 + size + 2);
  }
  expect(chunks.length).toBeGreaterThan(2);
  // The compressor flushes every write: the first chunk alone already yields the page's start.
  const decoder = createBrotliDecompress();
  const first = await new Promise<string>((resolve) => {
    decoder.once('data', (out: Buffer) => resolve(out.toString()));
    decoder.write(chunks[0]);
  });
  expect(first.startsWith('<!DOCTYPE html>')).toBe(true);
  decoder.destroy();
  expect(brotliDecompressSync(Buffer.concat(chunks)).toString()).toBe(Buffer.from(whole.body, 'latin1').toString('utf8'));
});
