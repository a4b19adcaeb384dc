/**
 * Shared-cache benchmark (not a test): `npm run bench:shared [seconds=5] [rounds=3]`, 127.0.0.1
 * only, bounded in time. Servers run as `npm start` runs them (dist/), one worker each, with a
 * redis-server of its own on a free port.
 * 1. renders per distinct URL: 200 URLs, each asked of server A then server B, for two servers
 *    on one Redis and two without; renders are counted from the request log (`cache: miss`).
 * 2. requests/s of a Redis-tier hit against an in-process hit, same page, 10 connections:
 *    the in-process hit asks one URL (always in memory); the Redis-tier hit cycles through 50
 *    URLs with `pageCache.maxEntries: 1`, so each request misses memory and is read from Redis.
 *    Rounds alternate the two, and the ratio is taken per round.
 */
import { execFileSync } from 'node:child_process';
import autocannon from 'autocannon';
import { serveProcess } from '../helpers/serve-process.js';
import { REPO_ROOT } from '../helpers/recipe.js';
import { freePort, redisServer } from '../helpers/redis-server.js';
import { litComponent, writeApp } from '../helpers/write-app.js';

const [seconds = 5, rounds = 3] = process.argv.slice(2).map(Number);
execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });

const app = (maxEntries: number) =>
  writeApp({
    'app.config.json': { routes: [{ id: 'page', path: '/p/:n', contentTemplate: 'page.html', cache: { ttl: 3600 } }], pageCache: { maxEntries } },
    'page.html': '<b-rows></b-rows>',
    'components/b-rows.ts': litComponent('b-rows', {
      properties: 'n: { type: String }',
      render: '<ul>${Array.from({ length: 100 }, (_, i) => html`<li>${this.n}: product ${i}</li>`)}</ul>',
      extra: 'export const getServerData = ({ params }) => ({ props: { n: params.n } });',
    }),
  });

async function pair(root: string, env: Record<string, string>) {
  const servers = [serveProcess(root, env), serveProcess(root, env)];
  const bases = await Promise.all(servers.map((s) => s.ready));
  return {
    servers,
    bases,
    stop: () => {
      for (const s of servers) s.stop();
    },
  };
}

async function rendersPerUrl(env: Record<string, string>): Promise<number> {
  const { servers, bases, stop } = await pair(app(1000), env);
  for (let i = 0; i < 200; i++) for (const base of bases) await (await fetch(`${base}/p/u${i}`)).text();
  const misses = servers.flatMap((s) => s.logLines()).filter((l) => l['msg'] === 'request' && l['cache'] === 'miss').length;
  stop();
  return misses / 200;
}

async function rps(base: string, paths: readonly string[]): Promise<number> {
  const result = await autocannon({ url: base, connections: 10, duration: seconds, requests: paths.map((path) => ({ path })) });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${base}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return Math.round(result.requests.average);
}

const redis = redisServer(await freePort());
await redis.start();
try {
  const shared = { REDIS_URL: redis.url, LOG_LEVEL: 'info' };
  console.log(`Node ${process.version}; ${seconds} s per run, ${rounds} rounds, 10 connections\n`);
  console.log(`renders per distinct URL, two servers on one Redis: ${await rendersPerUrl(shared)}`);
  console.log(`renders per distinct URL, two servers without Redis: ${await rendersPerUrl({ LOG_LEVEL: 'info' })}\n`);

  const memory = serveProcess(app(1000), { LOG_LEVEL: 'warn' });
  const fromRedis = serveProcess(app(1), { ...shared, LOG_LEVEL: 'warn' });
  const [memoryBase, redisBase] = await Promise.all([memory.ready, fromRedis.ready]);
  const cycle = Array.from({ length: 50 }, (_, i) => `/p/c${i}`);
  for (const path of cycle) await (await fetch(`${redisBase}${path}`)).text();
  await (await fetch(`${memoryBase}/p/c0`)).text();
  console.log('| round | in-process hit (req/s) | Redis-tier hit (req/s) | Redis / in-process |\n|---|---:|---:|---:|');
  for (let round = 1; round <= rounds; round++) {
    const inProcess = await rps(memoryBase, ['/p/c0']);
    const redisTier = await rps(redisBase, cycle);
    console.log(`| ${round} | ${inProcess} | ${redisTier} | ${(redisTier / inProcess).toFixed(2)} |`);
  }
  memory.stop();
  fromRedis.stop();
} finally {
  await redis.kill();
}
