/**
 * INV-5 (bounded cost per request) and INV-4 (no cross-visitor leaks).
 * Advisory classes: path-to-regexp CVE-2024-45296 / CVE-2026-4926 (ReDoS, too many
 * combinations), qs CVE-2022-24999 (prototype pollution through the query), fastify
 * CVE-2026-3635 (X-Forwarded-Host trusted), Next.js CVE-2024-46982 (personal pages cached),
 * Astro CVE-2026-29772 (unbounded body), open redirects.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { litComponent, startApp, writeApp } from '../helpers/write-app.js';
import { rawGet } from '../helpers/raw-http.js';
import { AtollError } from '../../src/errors.js';
import { createCrossRequestCache } from '../../src/data/cross-request-cache.js';
import { createServer } from '../../src/server/create-server.js';

let server: FastifyInstance;
let port: number;
const root = writeApp({
  'app.config.json': {
    routes: [
      { id: 'echo', path: '/echo/:value', contentTemplate: 'echo.html', cache: { ttl: 60 } },
      { id: 'busy', path: '/busy', contentTemplate: 'busy.html' },
      { id: 'big', path: '/big', contentTemplate: 'big.html' },
    ],
  },
  'echo.html': '<l-echo hydrate></l-echo>',
  'busy.html': '<l-busy></l-busy>',
  'big.html': '<l-big hydrate></l-big>',
  'components/l-echo.ts': litComponent('l-echo', {
    properties: 'value: {}, query: { attribute: false }',
    render: '${this.value}',
    extra: `export const getServerData = ({ params, query }) => ({
      props: { value: params.value, query: Object.keys(query) },
      ...(query.go ? { redirect: { destination: query.go } } : {}),
    });`,
  }),
  'components/l-busy.ts': litComponent('l-busy', {
    render: 'busy',
    extra: 'export const getServerData = () => { const end = Date.now() + 700; while (Date.now() < end); return {}; };',
  }),
  'components/l-big.ts': litComponent('l-big', {
    properties: 'blob: {}',
    render: 'big',
    extra: "export const getServerData = () => ({ props: { blob: 'x'.repeat(3 * 1024 * 1024) } });",
  }),
});

beforeAll(async () => {
  ({ server } = await startApp(root));
  await server.listen({ port: 0, host: '127.0.0.1' });
  port = (server.server.address() as { port: number }).port;
});
afterAll(() => server.close());

describe('bounded cost', () => {
  test.each([
    [`/echo/${'a'.repeat(2100)}`, 414],
    [`/echo/a?q=${'b'.repeat(4200)}`, 414],
    [`/echo/${'%41'.repeat(600)}`, 414],
    [`/echo/${'a'.repeat(600)}`, 414],
    [`/echo/${'a'.repeat(20000)}`, 431],
  ])('an oversized URL is refused before matching (%#)', async (target, status) => {
    const response = await rawGet(port, target);
    expect(response.status).toBe(status);
  });

  test('query parsing cannot pollute prototypes', async () => {
    const response = await rawGet(port, '/echo/a?__proto__[polluted]=1&constructor[prototype][polluted]=1&__proto__=x');
    expect(response.status).toBe(200);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(response.body).toContain('{"value":"a","query":["__proto__[polluted]","constructor[prototype][polluted]","__proto__"]}');
  });

  test('a body posted to a page is never read: 405 before parsing, whatever its size', async () => {
    const response = await server.inject({ method: 'POST', url: '/echo/a', payload: { x: 'y'.repeat(20000) } });
    expect(response.statusCode).toBe(405);
    expect(response.headers['allow']).toBe('GET, HEAD');
  });

  test('huge island props give that request a 500, not a huge page', async () => {
    const response = await server.inject('/big');
    expect(response.statusCode).toBe(500);
    expect(response.body.length).toBeLessThan(2000);
    expect((await server.inject('/echo/a')).statusCode).toBe(200);
  });

  test('a route pattern that would explode is a startup error, not a slow request', async () => {
    const pattern = `/${Array.from({ length: 16 }, (_, i) => `{:p${i}}`).join('-')}`;
    const bad = writeApp({ 'app.config.json': { routes: [{ id: 'bomb', path: pattern, contentTemplate: 't.html' }] }, 't.html': '' });
    const error = await startApp(bad).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(AtollError.is(error) && error.code).toBe('ATOLL_CONFIG_INVALID');
    expect((error as Error).message).toContain('routes[0].path');
  });

  test('the cross-request cache is bounded by entries and by bytes', () => {
    const byCount = createCrossRequestCache({ maxEntries: 3, maxBytes: 1_000_000 });
    for (const key of ['a', 'b', 'c', 'd']) byCount.set(key, key, 60);
    expect(['a', 'b', 'c', 'd'].map((k) => byCount.has(k))).toEqual([false, true, true, true]);
    const byBytes = createCrossRequestCache({ maxEntries: 100, maxBytes: 1000 });
    byBytes.set('one', 'x'.repeat(600), 60);
    byBytes.set('two', 'y'.repeat(600), 60);
    expect([byBytes.has('one'), byBytes.has('two')]).toEqual([false, true]);
    for (const ttl of [-1, 0, Number.NaN, Number.POSITIVE_INFINITY, '60' as unknown as number]) {
      const error = (() => {
        try {
          byBytes.set('bad"key', 1, ttl);
        } catch (thrown) {
          return thrown;
        }
        return undefined;
      })();
      expect(AtollError.is(error) && error.code, String(ttl)).toBe('ATOLL_CACHE_TTL_INVALID');
      expect((error as Error).message).toBe(`crossRequestCache.set("bad\\"key"): ttl must be a positive number of seconds, got ${typeof ttl === 'string' ? '"60"' : String(ttl)}.`);
    }
    expect(byBytes.has('bad"key')).toBe(false);
  });
});

describe('overload is shed, not collapsed', () => {
  test('while the event loop lags, requests get 503 with Retry-After, and the server recovers', async () => {
    const fast = await createServer({ root, mode: 'production', ssrTimeoutMs: 5000, logLevel: 'silent', overload: { maxEventLoopDelayMs: 100, sampleIntervalMs: 50 } });
    await fast.listen({ port: 0, host: '127.0.0.1' });
    const fastPort = (fast.server.address() as { port: number }).port;
    const statuses: number[] = [];
    let shed: Awaited<ReturnType<typeof rawGet>> | undefined;
    const busy = rawGet(fastPort, '/busy');
    for (let i = 0; i < 60 && shed === undefined; i++) {
      const response = await rawGet(fastPort, '/echo/a');
      statuses.push(response.status);
      if (response.status === 503) shed = response;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect((await busy).status).toBe(200);
    expect(shed?.headers).toMatch(/retry-after: 10/i);
    expect(shed?.headers).toMatch(/cache-control: no-store/i);
    await expect.poll(async () => (await rawGet(fastPort, '/echo/a')).status, { timeout: 3000 }).toBe(200);
    expect((await rawGet(fastPort, '/_atoll/health')).status).toBe(200);
    await fast.close();
  });
});

describe('no cross-visitor leaks', () => {
  test('Host and X-Forwarded-* are not trusted: they change nothing in the page or a redirect', async () => {
    const plain = await rawGet(port, '/echo/a?go=/echo/b');
    const forged = await rawGet(port, '/echo/a?go=/echo/b', { 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'https', Forwarded: 'host=evil.example' });
    expect(forged.status).toBe(302);
    expect(forged.headers).toMatch(/\r\nlocation: \/echo\/b\r\n/i);
    expect(forged.headers.replace(/date: .*\r\n/i, '')).toBe(plain.headers.replace(/date: .*\r\n/i, ''));
    const page = await rawGet(port, '/echo/a', { Host: 'evil.example' });
    expect(page.body).not.toContain('evil.example');
  });

  test('errors, redirects and overload answers are never cacheable', async () => {
    expect((await rawGet(port, '/echo/a?go=//evil.example')).headers).toMatch(/cache-control: no-store/i);
    expect((await rawGet(port, '/nope')).headers).toMatch(/cache-control: no-store/i);
    expect((await rawGet(port, '/echo/%zz')).headers).toMatch(/cache-control: no-store/i);
    expect((await rawGet(port, `/echo/${'a'.repeat(600)}`)).headers).toMatch(/cache-control: no-store/i);
  });
});
