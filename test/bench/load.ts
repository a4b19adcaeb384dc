/**
 * Load, soak and shutdown benchmark (not a test): runs against 127.0.0.1 only, bounded in time.
 *   node --import tsx test/bench/load.ts [soakSeconds=60] [slowSeconds=30]
 * 1. soak: the demo's data page (/category/books, no page cache yet) at 50 connections; errors,
 *    non-2xx and RSS of the server's processes at start and end.
 * 2. slow data source: every request waits 50 ms in getServerData, 256 connections.
 * 3. shutdown under load: 50 connections for 6 s, SIGTERM after 3 s; every response that started
 *    must complete, and the process must exit 0.
 */
import { execFileSync } from 'node:child_process';
import { Agent, request } from 'node:http';
import autocannon from 'autocannon';
import { serveProcess } from '../helpers/serve-process.js';
import { REPO_ROOT } from '../helpers/recipe.js';
import { litComponent, writeApp } from '../helpers/write-app.js';

const [soakSeconds = 60, slowSeconds = 30] = process.argv.slice(2).map(Number);
// The server runs as `npm start` runs it, from dist/.
execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });

/** RSS in MB of every process in the server's group (supervisor and workers). */
function groupRssMb(pgid: number): number {
  const out = execFileSync('ps', ['-o', 'rss=', '-g', String(pgid)], { encoding: 'utf8' });
  return Math.round(
    out
      .split('\n')
      .filter(Boolean)
      .reduce((sum, kb) => sum + Number(kb), 0) / 1024,
  );
}

async function run(url: string, connections: number, duration: number) {
  const result = await autocannon({ url, connections, duration, timeout: 10 });
  return {
    requests: result.requests.total,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
  };
}

async function soak(): Promise<void> {
  const server = serveProcess(REPO_ROOT, { LOG_LEVEL: 'warn' });
  try {
    const base = await server.ready;
    await run(`${base}/category/books`, 10, 3); // warm-up
    const rssStart = groupRssMb(server.child.pid!);
    const result = await run(`${base}/category/books`, 50, soakSeconds);
    console.log(JSON.stringify({ scenario: `soak ${soakSeconds}s data page c=50`, ...result, rssStartMb: rssStart, rssEndMb: groupRssMb(server.child.pid!) }));
  } finally {
    server.stop();
  }
}

async function slowData(): Promise<void> {
  const root = writeApp({
    'app.config.json': { routes: [{ id: 'slow', path: '/', contentTemplate: 't.html' }] },
    't.html': '<b-slow></b-slow>',
    'components/b-slow.ts': litComponent('b-slow', {
      properties: 'n: {}',
      render: 'done ${this.n}',
      extra: "export const getServerData = () => new Promise((r) => setTimeout(() => r({ props: { n: '1' } }), 50));",
    }),
  });
  const server = serveProcess(root, { LOG_LEVEL: 'warn' });
  try {
    const base = await server.ready;
    const result = await run(`${base}/`, 256, slowSeconds);
    console.log(JSON.stringify({ scenario: `slow data (50 ms) ${slowSeconds}s c=256`, ...result, rssEndMb: groupRssMb(server.child.pid!) }));
  } finally {
    server.stop();
  }
}

/**
 * 50 loops over keep-alive connections with Node's own agent (which honours Connection: close,
 * unlike autocannon), SIGTERM after 3 s. Outcome of every request: a complete 200, a 503 while
 * draining, a refused connection after the close, or anything else (a reset or a cut body:
 * a request lost in flight).
 */
async function shutdownUnderLoad(): Promise<void> {
  const server = serveProcess(REPO_ROOT, { LOG_LEVEL: 'warn' });
  try {
    const base = new URL(await server.ready);
    const agent = new Agent({ keepAlive: true, maxSockets: 50 });
    const outcomes: Record<string, number> = {};
    const count = (key: string) => (outcomes[key] = (outcomes[key] ?? 0) + 1);
    let stopped = false;
    const once = () =>
      new Promise<void>((resolve) => {
        const req = request({ host: base.hostname, port: base.port, path: '/category/books', agent }, (res) => {
          let bytes = 0;
          res.on('data', (chunk: Buffer) => (bytes += chunk.length));
          res.on('end', () => {
            count(res.statusCode === 200 && res.complete && bytes > 1000 ? '200 complete' : `${res.statusCode}${res.complete ? '' : ' cut'}`);
            resolve();
          });
          res.on('error', () => {
            count('body cut');
            resolve();
          });
        });
        req.on('error', (error: NodeJS.ErrnoException) => {
          count(`${error.code ?? 'error'}${error.code === 'ECONNRESET' ? (req.reusedSocket ? ' on a kept-alive socket' : ' on a new connection') : ''}`);
          resolve();
        });
        req.end();
      });
    const loop = async () => {
      while (!stopped) await once();
    };
    setTimeout(() => server.child.kill('SIGTERM'), 3000);
    setTimeout(() => (stopped = true), 6000);
    await Promise.all(Array.from({ length: 50 }, loop));
    agent.destroy();
    console.log(JSON.stringify({ scenario: 'shutdown under load: 50 keep-alive loops, SIGTERM at 3 s', outcomes, exitCode: await server.exited }));
  } finally {
    server.stop();
  }
}

await soak();
await slowData();
await shutdownUnderLoad();
