import { createServer, request, type Server } from 'node:http';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { serveProcess } from '../helpers/serve-process.js';
import { freePort, redisClient, redisServer } from '../helpers/redis-server.js';
import { litComponent, writeApp } from '../helpers/write-app.js';

// Two Atoll servers exactly as `npm start` runs them, on one real redis-server. Renders are
// counted by a gate server in this test: the page's data hook asks it for its render number,
// and the gate can hold that answer until the test releases it. Nothing waits on a clock: the
// test orders on log lines and on the gate.

const PREFIX = 'atoll-proc:';

let gateCalls = 0;
let hold: Promise<void> | undefined;
let gate: Server;
let redis: ReturnType<typeof redisServer>;
let a: ReturnType<typeof serveProcess>;
let b: ReturnType<typeof serveProcess>;
let baseA: string;
let baseB: string;

const root = writeApp({
  'app.config.json': {
    routes: [
      { id: 'page', path: '/p/:name', contentTemplate: 'page.html', cache: { ttl: 600 } },
      { id: 'personal', path: '/f/:name', contentTemplate: 'personal.html' },
    ],
    pageCache: { maxStale: 0 },
  },
  'page.html': '<r-page></r-page>',
  // A personal page (r-who reads cookies): r-frag reaches the other server only as a fragment.
  'personal.html': '<r-frag></r-frag><r-who></r-who>',
  'components/r-frag.ts': litComponent('r-frag', {
    properties: 'n: { type: Number }',
    render: '<p>fragment ${this.n}</p>',
    extra: `export const getServerData = async () => {
  const response = await fetch(process.env.GATE_URL + '/fragment');
  return { props: { n: Number(await response.text()) }, cache: { ttl: 600 } };
};`,
  }),
  'components/r-who.ts': litComponent('r-who', {
    properties: 'name: { type: String }',
    render: '<b>${this.name}</b>',
    extra: "export const getServerData = ({ cookies }) => ({ props: { name: cookies.name ?? 'guest' } });",
  }),
  'components/r-page.ts': litComponent('r-page', {
    properties: 'n: { type: Number }, url: { type: String }',
    render: '<p>${this.url} render ${this.n}</p>',
    extra: `export const getServerData = async ({ url }) => {
  const response = await fetch(process.env.GATE_URL + '/render');
  return { props: { n: Number(await response.text()), url } };
};`,
  }),
});

function fetchPage(base: string, path: string): Promise<{ status: number; cache: string; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, cache: String(res.headers['x-atoll-cache']), body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const lines = (server: ReturnType<typeof serveProcess>) => server.logLines();
const count = (predicate: (line: Record<string, unknown>) => boolean) => [...lines(a), ...lines(b)].filter(predicate).length;
async function until(condition: () => boolean): Promise<void> {
  // vi.waitFor, not expect.poll: the hooks wait too, and expect.poll works only inside a test.
  await vi.waitFor(() => expect(condition(), String(condition)).toBe(true), { timeout: 30_000, interval: 10 });
}

beforeAll(async () => {
  gate = createServer((_req, res) => {
    const n = ++gateCalls;
    void (hold ?? Promise.resolve()).then(() => res.end(String(n)));
  });
  await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve));
  redis = redisServer(await freePort());
  await redis.start();
  const env = {
    REDIS_URL: redis.url,
    ATOLL_REDIS_PREFIX: PREFIX,
    LOG_LEVEL: 'debug',
    ATOLL_PURGE_TOKEN: 'proc-token',
    GATE_URL: `http://127.0.0.1:${(gate.address() as { port: number }).port}`,
  };
  a = serveProcess(root, env);
  b = serveProcess(root, env);
  [baseA, baseB] = await Promise.all([a.ready, b.ready]);
  // Both have subscribed (their first Redis connection is up) before the tests publish anything.
  await until(() => count((l) => l['event'] === 'tier-subscribed') >= 2);
});
afterAll(async () => {
  a?.stop();
  b?.stop();
  await redis?.kill();
  await new Promise((resolve) => gate?.close(resolve));
});

test('a page rendered by one server is a hit on the other', async () => {
  const first = await fetchPage(baseA, '/p/shared');
  expect(first).toMatchObject({ status: 200, cache: 'miss' });
  const second = await fetchPage(baseB, '/p/shared');
  expect(second).toMatchObject({ status: 200, cache: 'hit', body: first.body });
});

test('50 concurrent misses across both servers render once', async () => {
  let release!: () => void;
  hold = new Promise((resolve) => (release = resolve));
  const calls = gateCalls;
  const waits = () => count((l) => l['event'] === 'cache-wait');
  const before = waits();
  const responses = Promise.all(Array.from({ length: 50 }, (_, i) => fetchPage(i % 2 === 0 ? baseA : baseB, '/p/crowd')));
  await until(() => waits() - before >= 49);
  release();
  const all = await responses;
  hold = undefined;
  expect(gateCalls - calls).toBe(1);
  expect(all.every((r) => r.status === 200)).toBe(true);
  expect(new Set(all.map((r) => r.body)).size).toBe(1);
});

test('a purge sent to one server invalidates the page on both', async () => {
  const old = await fetchPage(baseA, '/p/purged');
  expect((await fetchPage(baseB, '/p/purged')).cache).toBe('hit');
  const purged = await fetch(`${baseA}/_atoll/purge`, {
    method: 'POST',
    headers: { authorization: 'Bearer proc-token', 'content-type': 'application/json' },
    body: JSON.stringify({ paths: ['/p/purged'], hard: true }),
  });
  expect(purged.status).toBe(200);
  const fresh = await fetchPage(baseA, '/p/purged');
  expect(fresh.body).not.toBe(old.body);
  // B's copy goes when the purge message reaches it (the documented bound), which its log line marks.
  await until(() => lines(b).some((l) => l['event'] === 'purge-received'));
  const onB = await fetchPage(baseB, '/p/purged');
  expect(onB.body).not.toBe(old.body);
});

test('redis-server killed during load: zero failed requests; after it restarts the shared tier is used again', async () => {
  const results: { status: number }[] = [];
  let killed = false;
  const load = async (worker: number) => {
    for (let i = 0; i < 40; i++) {
      const base = (worker + i) % 2 === 0 ? baseA : baseB;
      // Whole pages and personal pages built from fragments: both tiers lose Redis.
      results.push(await fetchPage(base, `/${i % 3 === 0 ? 'f' : 'p'}/load-${(worker * 7 + i) % 25}`));
      if (!killed && results.length >= 60) {
        killed = true;
        await redis.kill();
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, (_, w) => load(w)));
  expect(killed).toBe(true);
  expect(results).toHaveLength(320);
  expect(results.filter((r) => r.status !== 200)).toEqual([]);
  const warnings = (server: ReturnType<typeof serveProcess>) => lines(server).filter((l) => l['code'] === 'ATOLL_REDIS_UNAVAILABLE' && l['level'] === 40).length;
  expect([warnings(a), warnings(b)]).toEqual([1, 1]);

  await redis.start();
  await until(() => lines(a).some((l) => l['recovered'] === true) && lines(b).some((l) => l['recovered'] === true));
  await until(() => lines(a).filter((l) => l['event'] === 'tier-subscribed').length >= 2 && lines(b).filter((l) => l['event'] === 'tier-subscribed').length >= 2);
  const first = await fetchPage(baseA, '/p/after-restart');
  expect(first.cache).toBe('miss');
  const second = await fetchPage(baseB, '/p/after-restart');
  expect(second).toMatchObject({ cache: 'hit', body: first.body });
  const client = await redisClient(redis.url);
  expect((await client.keys(`${PREFIX}*:page:*`)).length).toBeGreaterThan(0);
  // A fragment A completed is used by B: r-frag's hook (a call to the gate) runs once.
  const calls = gateCalls;
  const fragments = async () => (await client.keys(`${PREFIX}*:fragment:*`)).length;
  const fragmentsBefore = await fragments();
  const personal = await fetchPage(baseA, '/f/after-restart');
  expect(personal.status).toBe(200);
  expect(gateCalls - calls).toBe(1);
  // A writes the fragment while it renders, not before it answers: order on its arrival in Redis.
  await expect.poll(fragments, { timeout: 30_000 }).not.toBe(fragmentsBefore);
  const onB = await fetchPage(baseB, '/f/after-restart');
  expect(onB).toMatchObject({ status: 200, body: personal.body });
  expect(gateCalls - calls).toBe(1);
  await client.close();
});
