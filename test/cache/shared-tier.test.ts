import { afterAll, beforeAll, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { loadApp, type App } from '../../src/app.js';
import { serveApp } from '../../src/server/create-server.js';
import { connectRedisTier, type RedisTier } from '../../src/cache/redis-tier.js';
import { buildIdentity } from '../../src/cache/build-identity.js';
import { attachSharedTier } from '../../src/cache/attach-shared-tier.js';
import { decodePageEntry, encodePageEntry } from '../../src/cache/page-entry-codec.js';
import type { TierMessage } from '../../src/cache/shared-tier.js';
import { AtollError } from '../../src/errors.js';
import { litComponent, writeApp } from '../helpers/write-app.js';
import { freePort, redisClient, redisServer } from '../helpers/redis-server.js';

// Real redis-server processes, one per scenario that kills or starts one; instances are real
// servers in this process, composed as createServer composes them, so the test can listen to
// each instance's tier and order on what it received instead of waiting for time to pass.

const PREFIX = 'atoll-test:';
const KEY_NAME =
  /^atoll-test:(?:[0-9.]+-[A-Za-z0-9_-]{16}:(?:page|data|render|refresh|fragment|fragment-alias):[A-Za-z0-9_-]{43}(?::lock)?|purge-(?:hard|soft)-(?:tag|path):[A-Za-z0-9_-]{43})$/;

const gate = globalThis as unknown as { sharedTierRenders: number; sharedTierGate: Promise<void> | undefined };
gate.sharedTierRenders = 0;

const root = writeApp({
  'app.config.json': {
    routes: [
      { id: 'page', path: '/p/:name', contentTemplate: 'page.html', cache: { ttl: 600 } },
      { id: 'other', path: '/other', contentTemplate: 'page.html', cache: { ttl: 600 } },
      { id: 'dep', path: '/dep', contentTemplate: 'dep.html', cache: { ttl: 600 } },
      { id: 'frag', path: '/frag/:n', contentTemplate: 'frag.html' },
      { id: 'fdep', path: '/fdep', contentTemplate: 'fdep.html' },
      { id: 'tagged', path: '/tagged', contentTemplate: 'tagged.html', cache: { ttl: 600 } },
    ],
    pageCache: { maxStale: 0 },
  },
  'page.html': '<t-shared></t-shared>',
  'dep.html': '<t-dep></t-dep>',
  // Personal pages (t-who reads a cookie): only the fragment cache spares t-frag its hook.
  'frag.html': '<t-frag></t-frag><t-who></t-who>',
  'fdep.html': '<t-fdep></t-fdep><t-who></t-who>',
  'tagged.html': '<t-tagged></t-tagged>',
  'components/t-frag.ts': litComponent('t-frag', {
    properties: 'text: { type: String }',
    render: '<p>${this.text}</p>',
    extra: `globalThis.fragCalls = 0;
export const getServerData = ({ url, query }) => {
  globalThis.fragCalls += 1;
  return { props: { text: 'frag of ' + url }, cache: { ttl: 600, tags: ['frag'], ...(query.shared ? { key: 'one' } : {}) } };
};`,
  }),
  'components/t-fdep.ts': litComponent('t-fdep', {
    properties: 'text: { type: String }',
    render: '<p>${this.text}</p>',
    extra: `globalThis.fdepCalls = 0;
export const getServerData = ({ crossRequestCache }) => {
  globalThis.fdepCalls += 1;
  return { props: { text: String(crossRequestCache.get('fdep') ?? 'none') }, cache: { ttl: 600 } };
};`,
  }),
  'components/t-who.ts': litComponent('t-who', {
    properties: 'name: { type: String }',
    render: '<b>${this.name}</b>',
    extra: "export const getServerData = ({ cookies }) => ({ props: { name: cookies.name ?? 'guest' } });",
  }),
  'components/t-tagged.ts': litComponent('t-tagged', {
    properties: 'n: { type: Number }',
    render: '<p>tagged ${this.n}</p>',
    extra: "export const getServerData = () => ({ props: { n: ++globalThis.sharedTierRenders }, cache: { tags: ['hooktag'] } });",
  }),
  'components/t-dep.ts': litComponent('t-dep', {
    properties: 'v: { type: String }',
    render: '<p>v=${this.v}</p>',
    extra: "export const getServerData = ({ crossRequestCache }) => ({ props: { v: String(crossRequestCache.get('shared-dep') ?? 'none') } });",
  }),
  'components/t-shared.ts': litComponent('t-shared', {
    properties: 'n: { type: Number }, url: { type: String }',
    render: '<p>${this.url} render ${this.n}</p>',
    extra: `export const getServerData = async ({ url }) => {
  const n = ++globalThis.sharedTierRenders;
  await globalThis.sharedTierGate;
  return { props: { n, url } };
};`,
  }),
});

interface Instance {
  app: App;
  tier: RedisTier;
  server: FastifyInstance;
  logs: { level: string; object: Record<string, unknown>; message: string }[];
  messages: TierMessage[];
  /** Resolves at the next message this instance receives (after the app's own listeners ran). */
  nextMessage(): Promise<TierMessage>;
  /** Resolves when the tier reports this event (or at once if `already` says it happened). */
  when(event: 'available' | 'unavailable' | 'subscribed'): Promise<void>;
}

async function instance(url: string, appRoot = root): Promise<Instance> {
  const loaded = await loadApp(appRoot, { mode: 'production', ssrTimeoutMs: 5000 });
  const logs: Instance['logs'] = [];
  const record = (level: string) => (object: object, message: string) => logs.push({ level, object: object as Record<string, unknown>, message });
  const tier = connectRedisTier({ url, prefix: PREFIX, build: buildIdentity(loaded), log: { debug: record('debug'), info: record('info'), warn: record('warn') } });
  const events: string[] = [];
  const waiting: { event: string; resolve: () => void }[] = [];
  tier.onAvailability((event) => {
    events.push(event);
    for (const w of waiting.filter((x) => x.event === event)) w.resolve();
  });
  const app = attachSharedTier(loaded, tier);
  const messages: TierMessage[] = [];
  const next: ((m: TierMessage) => void)[] = [];
  tier.onMessage((m) => {
    messages.push(m);
    for (const resolve of next.splice(0)) resolve(m);
  });
  const server = serveApp(app, { logLevel: 'silent', overload: { maxEventLoopDelayMs: 0 }, purgeToken: 'secret' });
  server.addHook('onClose', () => tier.close());
  await server.ready();
  return {
    app,
    tier,
    server,
    logs,
    messages,
    nextMessage: () => new Promise((resolve) => next.push(resolve)),
    when: (event) => (events.includes(event) ? Promise.resolve() : new Promise((resolve) => waiting.push({ event, resolve }))),
  };
}

const ready = async (i: Instance) => {
  await i.when('available');
  await i.when('subscribed');
  return i;
};

let redis: ReturnType<typeof redisServer>;
let a: Instance;
let b: Instance;

beforeAll(async () => {
  redis = redisServer(await freePort());
  await redis.start();
  [a, b] = await Promise.all([instance(redis.url).then(ready), instance(redis.url).then(ready)]);
});
afterAll(async () => {
  await Promise.all([a?.server.close(), b?.server.close()]);
  await redis?.kill();
});

test('a page rendered by one instance is a hit on the other, under a hashed key name that carries the build', async () => {
  const first = await a.server.inject('/p/one');
  expect(first.headers['x-atoll-cache']).toBe('miss');
  // The entry's SET went out before the response; a command on a later connection sees it once
  // A's connection has delivered it, which a round trip on A's own connection guarantees.
  await a.tier.get({ ns: 'page', key: 'sync' });
  const second = await b.server.inject('/p/one');
  expect(second.headers['x-atoll-cache']).toBe('hit');
  expect(second.body).toBe(first.body);
  expect(second.headers['etag']).toBe(first.headers['etag']);
  const client = await redisClient(redis.url);
  const names = (await client.keys(`${PREFIX}*`)).map(String);
  expect(names.length).toBeGreaterThan(0);
  for (const name of names) expect(name).toMatch(KEY_NAME);
  expect(names.some((n) => n.startsWith(`${PREFIX}${a.tier.build}:page:`))).toBe(true);
  await client.close();
});

test('entries carry the build: both instances of one build share an identity, another app has its own, and an entry of another build decodes to nothing', async () => {
  expect(buildIdentity(b.app)).toBe(a.tier.build);
  expect(a.tier.build).toMatch(/^0\.1\.0-[A-Za-z0-9_-]{16}$/);
  const other = await loadApp(
    writeApp({ 'app.config.json': { routes: [{ id: 'page', path: '/p/:name', contentTemplate: 'page.html', cache: { ttl: 600 } }] }, 'page.html': '<p>v2</p>' }),
    { mode: 'production', ssrTimeoutMs: 5000 },
  );
  expect(buildIdentity(other)).not.toBe(a.tier.build);
  await a.server.inject('/p/build');
  const found = a.app.pageCache!.lookup('page\n/p/build\n\nen-US');
  if (found.state !== 'fresh') throw new Error(`expected the page in memory, got ${found.state}`);
  const entry = encodePageEntry(found.page, a.tier.build);
  expect(decodePageEntry(entry, a.tier.build)).toEqual(found.page);
  expect(decodePageEntry(entry, buildIdentity(other))).toBeUndefined();
  expect(decodePageEntry(entry.subarray(0, entry.length - 1), a.tier.build)).toBeUndefined();
});

test('50 concurrent misses across two instances render once; every request gets that page', async () => {
  let release!: () => void;
  gate.sharedTierGate = new Promise((resolve) => (release = resolve));
  const before = gate.sharedTierRenders;
  const waits = () => [...a.logs, ...b.logs].filter((l) => l.object['event'] === 'cache-wait').length;
  const waitsBefore = waits();
  const responses = Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? a : b).server.inject('/p/crowd')));
  // Every request but the renderer's is waiting (in its instance, or on the other's lock)
  // before the render may finish.
  await expect.poll(() => waits() - waitsBefore).toBeGreaterThanOrEqual(49);
  release();
  const all = await responses;
  gate.sharedTierGate = undefined;
  expect(gate.sharedTierRenders - before).toBe(1);
  expect(new Set(all.map((r) => r.statusCode))).toEqual(new Set([200]));
  expect(new Set(all.map((r) => r.body)).size).toBe(1);
  expect(all.filter((r) => r.headers['x-atoll-cache'] === 'miss').length).toBeGreaterThanOrEqual(1);
});

test("a purge sent to one instance reaches the other's memory (bounded by pub/sub delivery) and the shared tier", async () => {
  const first = await a.server.inject('/other');
  await a.tier.get({ ns: 'page', key: 'sync' });
  expect((await b.server.inject('/other')).headers['x-atoll-cache']).toBe('hit');
  expect((await b.server.inject('/other')).headers['x-atoll-cache']).toBe('hit');
  const delivered = b.nextMessage();
  const purge = await a.server.inject({ method: 'POST', url: '/_atoll/purge', headers: { authorization: 'Bearer secret' }, payload: { tags: ['other'], hard: true } });
  expect(purge.statusCode).toBe(200);
  expect(await delivered).toEqual({ type: 'purge', tags: ['other'], paths: [], hard: true });
  // B's memory copy is gone and the shared copy is purged: B renders again.
  const after = await b.server.inject('/other');
  expect(after.headers['x-atoll-cache']).toBe('miss');
  expect(after.body).not.toBe(first.body);
});

test("a page that read crossRequestCache keys is not published to the shared tier; a set on one instance drops it from the other's memory", async () => {
  const delivered = b.nextMessage();
  a.app.crossRequestCache.set('shared-dep', 'v1', 600);
  await delivered;
  const onA = await a.server.inject('/dep');
  expect(onA.headers['x-atoll-cache']).toBe('miss');
  expect(onA.body).toContain('v=<!--lit-part-->v1');
  await a.tier.get({ ns: 'page', key: 'sync' });
  // Not in Redis: B renders its own copy, and keeps it.
  expect((await b.server.inject('/dep')).headers['x-atoll-cache']).toBe('miss');
  expect((await b.server.inject('/dep')).headers['x-atoll-cache']).toBe('hit');
  const changed = b.nextMessage();
  a.app.crossRequestCache.set('shared-dep', 'v2', 600);
  await changed;
  const onB = await b.server.inject('/dep');
  expect(onB.headers['x-atoll-cache']).toBe('miss');
  expect(onB.body).toContain('v=<!--lit-part-->v2');
  expect((await a.server.inject('/dep')).body).toContain('v=<!--lit-part-->v2');
});

const calls = (name: 'fragCalls' | 'fdepCalls') => (globalThis as unknown as Record<string, number>)[name]!;

test('a fragment one instance completed is used by the other (its hook not called there), through the alias of a cache.key too', async () => {
  const before = calls('fragCalls');
  const onA = await a.server.inject({ url: '/frag/1', headers: { cookie: 'name=ann' } });
  expect(onA.headers['cache-control']).toBe('private, max-age=600');
  expect(calls('fragCalls')).toBe(before + 1);
  await a.tier.get({ ns: 'page', key: 'sync' });
  const onB = await b.server.inject({ url: '/frag/1', headers: { cookie: 'name=ann' } });
  expect(calls('fragCalls')).toBe(before + 1);
  expect(onB.body).toBe(onA.body);
  // Under a hook's cache.key the URL is an alias: B follows it to A's fragment.
  const shared = await a.server.inject({ url: '/frag/2?shared=1', headers: { cookie: 'name=ann' } });
  expect(calls('fragCalls')).toBe(before + 2);
  await a.tier.get({ ns: 'page', key: 'sync' });
  const followed = await b.server.inject({ url: '/frag/2?shared=1', headers: { cookie: 'name=bo' } });
  expect(calls('fragCalls')).toBe(before + 2);
  expect(followed.body).toBe(shared.body.replace('<b><!--lit-part-->ann', '<b><!--lit-part-->bo'));
  const client = await redisClient(redis.url);
  const names = (await client.keys(`${PREFIX}*`)).map(String);
  for (const name of names) expect(name).toMatch(KEY_NAME);
  expect(names.some((n) => n.startsWith(`${PREFIX}${a.tier.build}:fragment:`))).toBe(true);
  expect(names.some((n) => n.startsWith(`${PREFIX}${a.tier.build}:fragment-alias:`))).toBe(true);
  await client.close();
});

test('a fragment whose hook read crossRequestCache stays in its instance', async () => {
  const before = calls('fdepCalls');
  await a.server.inject({ url: '/fdep', headers: { cookie: 'name=ann' } });
  await a.server.inject({ url: '/fdep', headers: { cookie: 'name=ann' } });
  expect(calls('fdepCalls')).toBe(before + 1);
  await a.tier.get({ ns: 'page', key: 'sync' });
  await b.server.inject({ url: '/fdep', headers: { cookie: 'name=ann' } });
  expect(calls('fdepCalls')).toBe(before + 2);
});

test('a purge by a hook tag reaches the shared tier: an instance that never held the page or the fragment renders them again', async () => {
  const fragBefore = calls('fragCalls');
  const page = await a.server.inject('/tagged');
  expect(page.headers['x-atoll-cache']).toBe('miss');
  await a.server.inject({ url: '/frag/3', headers: { cookie: 'name=ann' } });
  expect(calls('fragCalls')).toBe(fragBefore + 1);
  await a.tier.get({ ns: 'page', key: 'sync' });
  const delivered = b.nextMessage();
  const purge = await a.server.inject({ method: 'POST', url: '/_atoll/purge', headers: { authorization: 'Bearer secret' }, payload: { tags: ['hooktag', 'frag'], hard: true } });
  // The page and the fragments A holds under 'frag' (earlier tests left more of them).
  expect((purge.json() as { purged: number }).purged).toBeGreaterThanOrEqual(2);
  await delivered;
  await a.tier.get({ ns: 'page', key: 'sync' });
  // B's memory never held them: only the purge markers in Redis keep A's copies from it.
  const again = await b.server.inject('/tagged');
  expect(again.headers['x-atoll-cache']).toBe('miss');
  expect(again.body).not.toBe(page.body);
  await b.server.inject({ url: '/frag/3', headers: { cookie: 'name=ann' } });
  expect(calls('fragCalls')).toBe(fragBefore + 2);
});

test("crossRequestCache writes reach the other instance's memory; hostile keys are hashed into safe names", async () => {
  const client = await redisClient(redis.url);
  await client.set('sentinel', 'kept');
  const hostile = ['a\r\nFLUSHALL\r\n', '*', '__proto__', 'constructor', 'x'.repeat(10_000), 'ключ 🔑', 'nul\u0000byte', `${PREFIX}page:forged`, '../../etc/passwd'];
  for (const [i, key] of hostile.entries()) {
    const delivered = b.nextMessage();
    a.app.crossRequestCache.set(key, { i, key }, 60);
    expect(await delivered).toMatchObject({ type: 'data-set', key });
    expect(b.app.crossRequestCache.get(key)).toEqual({ i, key });
  }
  const deleted = b.nextMessage();
  a.app.crossRequestCache.delete('*');
  await deleted;
  expect(b.app.crossRequestCache.get('*')).toBeUndefined();
  // Hostile page URLs too: their keys are hashed like every other.
  expect((await a.server.inject('/p/%0d%0aFLUSHALL%0d%0a?q=*&__proto__=1')).statusCode).toBe(200);
  await a.tier.get({ ns: 'page', key: 'sync' });
  expect(String(await client.get('sentinel'))).toBe('kept');
  const names = (await client.keys('*')).map(String).filter((n) => n !== 'sentinel');
  for (const name of names) expect(name).toMatch(KEY_NAME);
  await client.close();
});

test('a bad REDIS_URL or ATOLL_REDIS_PREFIX is a catalog error at start', () => {
  const log = { debug: () => {}, info: () => {}, warn: () => {} };
  for (const [url, prefix, name] of [
    ['not a url', 'atoll:', 'REDIS_URL'],
    ['http://127.0.0.1:6379', 'atoll:', 'REDIS_URL'],
    ['redis://127.0.0.1:1', 'bad prefix!', 'ATOLL_REDIS_PREFIX'],
    ['redis://:hunter2@127.0.0.1:1', 'x'.repeat(65), 'ATOLL_REDIS_PREFIX'],
  ] as const) {
    try {
      connectRedisTier({ url, prefix, build: 'b', log });
      throw new Error(`accepted ${url} ${prefix}`);
    } catch (error) {
      expect(AtollError.is(error) && error.code).toBe('ATOLL_REDIS_CONFIG_INVALID');
      expect((error as Error).message).toContain(name);
      expect((error as Error).message).not.toContain('hunter2');
    }
  }
});

test('Redis down at start: pages are served from memory with one warning, and the shared tier is used once Redis starts', async () => {
  const late = redisServer(await freePort());
  const c = await instance(late.url);
  for (let i = 0; i < 5; i++) expect((await c.server.inject('/p/early')).statusCode).toBe(200);
  expect((await c.server.inject('/p/early')).headers['x-atoll-cache']).toBe('hit');
  const warnings = () => c.logs.filter((l) => l.object['code'] === 'ATOLL_REDIS_UNAVAILABLE' && l.level === 'warn');
  // The refused connection is reported once, however many requests and reconnection attempts follow.
  await expect.poll(() => warnings().length).toBeGreaterThan(0);
  for (let i = 0; i < 5; i++) expect((await c.server.inject(`/p/early${i}`)).statusCode).toBe(200);
  expect(warnings()).toHaveLength(1);
  await late.start();
  await ready(c);
  expect(c.logs.some((l) => l.object['recovered'] === true)).toBe(true);
  await c.server.inject('/p/later');
  await c.tier.get({ ns: 'page', key: 'sync' });
  const client = await redisClient(late.url);
  expect((await client.keys(`${PREFIX}${c.tier.build}:page:*`)).length).toBe(1);
  await client.close();
  await c.server.close();
  await late.kill();
  expect(warnings()).toHaveLength(1);
});

test('a slow Redis (DEBUG SLEEP) does not hold a request: the page is sent before Redis answers again', async () => {
  const client = await redisClient(redis.url);
  const order: string[] = [];
  const asleep = client.sendCommand(['DEBUG', 'SLEEP', '5']).then(() => order.push('redis awake'));
  // Redis answers nothing for 5 s; three late answers in a row make it count as unavailable.
  const response = await a.server.inject('/p/slow');
  order.push('page sent');
  expect(response.statusCode).toBe(200);
  await asleep;
  expect(order).toEqual(['page sent', 'redis awake']);
  expect(a.logs.filter((l) => l.object['code'] === 'ATOLL_REDIS_UNAVAILABLE' && l.level === 'warn')).toHaveLength(1);
  await client.close();
});

test('a message on the channel that Atoll did not send is ignored with a warning', async () => {
  const client = await redisClient(redis.url);
  const invalid = () => b.logs.filter((l) => l.object['code'] === 'ATOLL_REDIS_MESSAGE_INVALID');
  const before = invalid().length;
  await client.publish(`${PREFIX}events`, 'not json');
  await client.publish(`${PREFIX}events`, JSON.stringify({ from: 'someone', message: { type: 'purge', tags: 'all' } }));
  await client.publish(`${PREFIX}events`, JSON.stringify({ from: 'someone', message: { type: 'data-set', build: b.tier.build, key: 'k', json: '{broken', ttl: 5 } }));
  await client.publish(`${PREFIX}events`, JSON.stringify({ from: 'someone', message: { type: 'purge', tags: [], paths: ['/%E0%A4%A'], hard: true } }));
  // JSON.parse reads 1e400 as Infinity: a TTL no cache can take.
  await client.publish(`${PREFIX}events`, `{"from":"someone","message":{"type":"data-set","build":"${b.tier.build}","key":"k","json":"1","ttl":1e400}}`);
  await expect.poll(() => invalid().length).toBeGreaterThanOrEqual(before + 5);
  expect(invalid()[before]!.message).toContain('is not one Atoll sends; ignored: "not json"');
  expect(b.app.crossRequestCache.get('k')).toBeUndefined();
  expect((await b.server.inject('/p/one')).statusCode).toBe(200);
  await client.close();
});

test('a stale page is refreshed once across instances: the other instance serves stale meanwhile, then takes the refreshed page instead of rendering it', async () => {
  const staleRoot = writeApp({
    'app.config.json': { routes: [{ id: 'swr', path: '/swr', contentTemplate: 'page.html', cache: { ttl: 600 } }], pageCache: { maxStale: 600 } },
    'page.html': '<t-stale></t-stale>',
    'components/t-stale.ts': litComponent('t-stale', {
      properties: 'n: { type: Number }',
      render: '<p>render ${this.n}</p>',
      extra: `export const getServerData = async () => {
  const n = ++globalThis.sharedTierRenders;
  await globalThis.sharedTierGate;
  return { props: { n } };
};`,
    }),
  });
  const [c, d] = await Promise.all([instance(redis.url, staleRoot).then(ready), instance(redis.url, staleRoot).then(ready)]);
  try {
    const first = await c.server.inject('/swr');
    expect(first.headers['x-atoll-cache']).toBe('miss');
    await c.tier.get({ ns: 'page', key: 'sync' });
    expect((await d.server.inject('/swr')).headers['x-atoll-cache']).toBe('hit');
    // A soft purge makes the page stale in both memories and in Redis.
    const delivered = d.nextMessage();
    const purge = await c.server.inject({ method: 'POST', url: '/_atoll/purge', headers: { authorization: 'Bearer secret' }, payload: { tags: ['swr'] } });
    expect(purge.json()).toMatchObject({ purged: 1 });
    await delivered;

    let release!: () => void;
    gate.sharedTierGate = new Promise((resolve) => (release = resolve));
    const before = gate.sharedTierRenders;
    const events = (name: string) => [...c.logs, ...d.logs].filter((l) => l.object['event'] === name).length;
    const waitsBefore = events('refresh-wait');
    const adoptedBefore = events('refresh-adopted');
    // Both instances answer at once from their stale copy and start a background refresh.
    const stale = await Promise.all([c.server.inject('/swr'), d.server.inject('/swr')]);
    expect(stale.map((r) => r.headers['x-atoll-cache'])).toEqual(['stale', 'stale']);
    expect(stale.map((r) => r.body)).toEqual([first.body, first.body]);
    // One instance renders (held at its hook), the other found the refresh lock held.
    await expect.poll(() => gate.sharedTierRenders - before >= 1 && events('refresh-wait') - waitsBefore >= 1).toBe(true);
    expect((await d.server.inject('/swr')).headers['x-atoll-cache']).toBe('stale');
    release();
    await expect.poll(() => events('refresh-adopted') - adoptedBefore).toBeGreaterThanOrEqual(1);
    gate.sharedTierGate = undefined;

    const after = await Promise.all([c.server.inject('/swr'), d.server.inject('/swr')]);
    expect(after.map((r) => r.headers['x-atoll-cache'])).toEqual(['hit', 'hit']);
    expect(after[0]!.body).toBe(after[1]!.body);
    expect(after[0]!.body).not.toBe(first.body);
    expect(after[0]!.body).toContain(`render <!--lit-part-->${before + 1}<!--/lit-part-->`);
    expect(gate.sharedTierRenders - before).toBe(1);
  } finally {
    await Promise.all([c.server.close(), d.server.close()]);
  }
});
