import { afterAll, beforeAll, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { litComponent, startApp, writeApp, type LogLine } from '../helpers/write-app.js';
import { rawGet } from '../helpers/raw-http.js';
import { STREAM_ERROR_MARKER } from '../../src/render/stream-page.js';

let server: FastifyInstance;
let logs: LogLine[];
let port: number;

beforeAll(async () => {
  const root = writeApp({
    'app.config.json': {
      routes: [
        { id: 'big', path: '/big', contentTemplate: 'big.html' },
        { id: 'cached', path: '/cached', contentTemplate: 'big.html', cache: { ttl: 60 } },
      ],
    },
    'big.html': '<h1>Big</h1><x-rows></x-rows><x-tail></x-tail>',
    'components/x-rows.ts': litComponent('x-rows', {
      properties: 'count: { type: Number }',
      render: '<ul>${Array.from({ length: this.count }, (_, i) => html`<li>Row ${i}: ${"x".repeat(40)}</li>`)}</ul>',
      extra: 'export const getServerData = () => ({ props: { count: 2000 } });',
    }),
    'components/x-tail.ts': litComponent('x-tail', {
      properties: 'fail: { type: Boolean }',
      render: '${this.fail ? (() => { throw new Error("tail exploded"); })() : "the end"}',
      extra: "export const getServerData = ({ query }) => ({ props: { fail: query.fail === '1' } });",
    }),
  });
  // Streaming starts once a route has rendered 10,000 characters or more.
  ({ server, logs } = await startApp(root, { streamMinChars: 10_000 }));
  await server.listen({ port: 0, host: '127.0.0.1' });
  port = (server.server.address() as { port: number }).port;
});
afterAll(() => server.close());

test('a large uncached page streams (chunked) with exactly the bytes of the buffered render', async () => {
  const buffered = await rawGet(port, '/big');
  expect(buffered.headers).toMatch(/content-length: \d+/i);
  const streamed = await rawGet(port, '/big');
  expect(streamed.status).toBe(200);
  expect(streamed.headers).toMatch(/transfer-encoding: chunked/i);
  expect(streamed.headers).not.toMatch(/content-length/i);
  const dechunk = (raw: string) => {
    let out = '';
    let rest = raw;
    for (;;) {
      const lineEnd = rest.indexOf('\r\n');
      const size = parseInt(rest.slice(0, lineEnd), 16);
      if (size === 0) return out;
      out += rest.slice(lineEnd + 2, lineEnd + 2 + size);
      rest = rest.slice(lineEnd + 2 + size + 2);
    }
  };
  expect(Buffer.from(dechunk(streamed.body), 'latin1').toString('utf8')).toBe(Buffer.from(buffered.body, 'latin1').toString('utf8'));
});

test('a cacheable page is never streamed (the cache keeps whole pages)', async () => {
  await rawGet(port, '/cached');
  const second = await rawGet(port, '/cached');
  expect(second.headers).toMatch(/content-length: \d+/i);
  expect(second.headers).toMatch(/x-atoll-cache: hit/i);
});

test('a render that fails after the first bytes ends with the error marker and a destroyed socket, never a clean 200', async () => {
  await rawGet(port, '/big');
  const failed = await rawGet(port, '/big?fail=1');
  expect(failed.status).toBe(200);
  expect(failed.headers).toMatch(/transfer-encoding: chunked/i);
  expect(failed.body).toContain(STREAM_ERROR_MARKER.trim());
  expect(failed.body.endsWith('\r\n0\r\n\r\n')).toBe(false);
  expect(failed.body).not.toContain('</html>');
  const line = logs.findLast((l) => l['code'] === 'ATOLL_RENDER_FAILED')!;
  expect(line).toMatchObject({ routeId: 'big', tag: 'x-tail' });
  expect((await rawGet(port, '/big')).status).toBe(200);
});
