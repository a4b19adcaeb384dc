import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { litComponent, startApp, writeApp } from '../helpers/write-app.js';
import { tagProblem } from '../../src/cache/cache-tags.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../helpers/recipe.js';
import { serveProcess } from '../helpers/serve-process.js';

const TOKEN = 'sekret-token-1';
let server: FastifyInstance;
let plain: FastifyInstance;
let clock = 1_000_000;
const get = (url: string) => server.inject({ url });
const purge = (body: unknown, auth = `Bearer ${TOKEN}`) =>
  server.inject({ method: 'POST', url: '/_atoll/purge', headers: { authorization: auth, 'content-type': 'application/json' }, payload: JSON.stringify(body) });

const root = writeApp({
  'app.config.json': {
    routes: [
      { id: 'item', path: '/item/:id', contentTemplate: 'item.html', cache: { ttl: 10 } },
      { id: 'other', path: '/other', contentTemplate: 'item.html', cache: { ttl: 10 } },
    ],
    pageCache: { maxEntries: 50, maxStale: '5s' },
  },
  'item.html': '<c-item></c-item>',
  'components/c-item.ts': litComponent('c-item', {
    properties: 'n: {}',
    render: 'n=${this.n}',
    extra: `export const getServerData = () => { globalThis.__itemRenders = (globalThis.__itemRenders ?? 0) + 1; return { props: { n: String(globalThis.__itemRenders) } }; };`,
  }),
});

beforeAll(async () => {
  ({ server } = await startApp(root, { now: () => clock, purgeToken: TOKEN }));
  ({ server: plain } = await startApp(root, { purgeToken: '' }));
});
afterAll(async () => {
  await server.close();
  await plain.close();
});

async function warm(): Promise<void> {
  for (const url of ['/item/1', '/item/2', '/other']) {
    await get(url);
    expect((await get(url)).headers['x-atoll-cache']).toBe('hit');
  }
}

describe('the purge endpoint', () => {
  test('does not exist without a token (404)', async () => {
    const response = await plain.inject({
      method: 'POST',
      url: '/_atoll/purge',
      headers: { authorization: 'Bearer x', 'content-type': 'application/json' },
      payload: '{"tags":["item"]}',
    });
    expect(response.statusCode).toBe(404);
  });

  test('a missing, wrong or prefix token is 401 and purges nothing', async () => {
    clock += 100_000;
    await warm();
    for (const auth of ['', `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, TOKEN, `Basic ${TOKEN}`]) {
      const response = await purge({ tags: ['item'], hard: true }, auth);
      expect(response.statusCode).toBe(401);
    }
    expect((await get('/item/1')).headers['x-atoll-cache']).toBe('hit');
  });

  test("hard purge by route tag drops that route's pages only and answers the count", async () => {
    clock += 100_000;
    await warm();
    const response = await purge({ tags: ['item'], hard: true });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ purged: 2 });
    expect((await get('/item/1')).headers['x-atoll-cache']).toBe('miss');
    expect((await get('/item/2')).headers['x-atoll-cache']).toBe('miss');
    expect((await get('/other')).headers['x-atoll-cache']).toBe('hit');
  });

  test('soft purge by path marks the page stale: served once while one refresh runs, then fresh', async () => {
    clock += 100_000;
    await warm();
    const before = (await get('/item/2')).body;
    expect((await purge({ paths: ['/item/2'] })).json()).toEqual({ purged: 1 });
    const stale = await get('/item/2');
    expect(stale.headers['x-atoll-cache']).toBe('stale');
    expect(stale.body).toBe(before);
    await vitestWaitForHit('/item/2');
    expect((await get('/item/2')).body).not.toBe(before);
    expect((await get('/item/1')).headers['x-atoll-cache']).toBe('hit');
  });

  test('hostile tags and paths are a 400 with the reason, never a 500', async () => {
    const bad: unknown[] = [
      { tags: ['a\r\nSet-Cookie: x=1'] },
      { tags: ['a,b'] },
      { tags: ['a b'] },
      { tags: [''] },
      { tags: ['x'.repeat(129)] },
      { tags: Array.from({ length: 65 }, (_, i) => `t${i}`) },
      { tags: [42] },
      { tags: 'item' },
      { paths: ['no-slash'] },
      { paths: ['/a?b=1'] },
      { hard: 'yes' },
      [1, 2],
    ];
    for (const body of bad) {
      const response = await purge(body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().error).toMatch(/tags|paths|hard|body/);
    }
    const broken = await server.inject({
      method: 'POST',
      url: '/_atoll/purge',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      payload: '{"tags":',
    });
    expect(broken.statusCode).toBe(400);
  });
});

describe('npm run purge', () => {
  const npmPurge = (args: string[], token: string) =>
    promisify(execFile)('npm', ['run', '--silent', 'purge', '--', ...args], { cwd: REPO_ROOT, env: { ...process.env, ATOLL_PURGE_TOKEN: token } });

  test('purges a listening server by tag and prints the count; a wrong token fails with the 401', async () => {
    const origin = await server.listen({ port: 0, host: '127.0.0.1' });
    clock += 100_000;
    await warm();
    await expect(npmPurge(['--url', origin, '--tag', 'item'], 'wrong')).rejects.toMatchObject({
      stderr: expect.stringContaining(`ATOLL_PURGE_REFUSED: atoll purge: ${origin}/_atoll/purge answered 401`),
    });
    expect((await get('/item/1')).headers['x-atoll-cache']).toBe('hit');
    const { stdout } = await npmPurge(['--url', origin, '--tag', 'item', '--path', '/other', '--hard'], TOKEN);
    expect(stdout.trim()).toBe('Purged 3 entries');
    expect((await get('/other')).headers['x-atoll-cache']).toBe('miss');
  }, 60_000);

  test('against `npm start` with ATOLL_PURGE_TOKEN and a basePath: repeated --tag flags purge each route', async () => {
    const based = writeApp({
      'app.config.json': {
        basePath: '/shop',
        routes: [
          { id: 'item', path: '/item/:id', contentTemplate: 'item.html', cache: { ttl: 600 } },
          { id: 'other', path: '/other', contentTemplate: 'item.html', cache: { ttl: 600 } },
          { id: 'kept', path: '/kept', contentTemplate: 'item.html', cache: { ttl: 600 } },
        ],
      },
      'item.html': '<c-item></c-item>',
      'components/c-item.ts': litComponent('c-item', { render: 'item' }),
    });
    const served = serveProcess(based, { ATOLL_PURGE_TOKEN: TOKEN });
    try {
      const origin = await served.ready;
      const cacheState = async (url: string) => (await fetch(`${origin}${url}`)).headers.get('x-atoll-cache');
      for (const url of ['/shop/item/1', '/shop/other', '/shop/kept']) {
        await cacheState(url);
        expect(await cacheState(url), url).toBe('hit');
      }
      // The endpoint lives under the basePath: without it in --url there is none.
      await expect(npmPurge(['--url', origin, '--tag', 'item'], TOKEN)).rejects.toMatchObject({ stderr: expect.stringContaining('answered 404') });
      const { stdout } = await npmPurge(['--url', `${origin}/shop`, '--tag', 'item', '--tag', 'other', '--hard'], TOKEN);
      expect(stdout.trim()).toBe('Purged 2 entries');
      expect(await cacheState('/shop/item/1')).toBe('miss');
      expect(await cacheState('/shop/other')).toBe('miss');
      expect(await cacheState('/shop/kept')).toBe('hit');
    } finally {
      served.stop();
    }
  }, 60_000);

  test('without a target it names what is missing and exits 1', async () => {
    await expect(npmPurge(['--url', 'http://127.0.0.1:9'], TOKEN)).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('ATOLL_PURGE_ARGUMENTS_MISSING: atoll purge: missing a --tag or --path.'),
    });
  }, 60_000);
});

describe('tagProblem', () => {
  test('accepts printable tags and names the first bad one', () => {
    expect(tagProblem(['product:42', 'catalog', 'a.b_c-d/e'], 'cache.tags')).toBeUndefined();
    expect(tagProblem(['ok', 'bad\u0000'], 'cache.tags')).toBe('cache.tags[1] "bad\\u0000" may hold only printable ASCII without spaces or commas');
    expect(tagProblem(['ünïcode'], 'cache.tags')).toMatch(/^cache\.tags\[0\]/);
  });
});

/** The background refresh is one render the test cannot hold; poll until it is stored (bounded only as a hang guard). */
async function vitestWaitForHit(url: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    const response = await get(url);
    if (response.headers['x-atoll-cache'] === 'hit') return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`${url} was never refreshed`);
}
