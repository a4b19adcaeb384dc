/**
 * Benchmark (not a test): time to first byte and to the last byte, streamed against buffered,
 * for the reference page (30 KB) and the large page (1,000 items, 294 KB), with 1 and with 10
 * concurrent clients. Both servers run in one child process pinned to CPU 0 (the client here,
 * on CPU 1, sees bytes as soon as the server writes them); requests alternate between them.
 *   node --import tsx test/bench/ttfb.ts [requests=200]
 */
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from '../../src/server/create-server.js';
import { REPO_ROOT } from '../helpers/recipe.js';

const root = path.join(REPO_ROOT, 'recipes', 'bench-reference');
if (process.argv[2] === '--servers') {
  const start = async (streamMinChars: number) => {
    const server = await createServer({ root, mode: 'production', ssrTimeoutMs: 5000, logLevel: 'silent', streamMinChars });
    await server.listen({ port: 0, host: '127.0.0.1' });
    return (server.server.address() as { port: number }).port;
  };
  console.log(JSON.stringify({ streamed: await start(0), buffered: await start(Number.POSITIVE_INFINITY) }));
} else {
  await client(Number(process.argv[2] ?? 200));
}

async function client(n: number): Promise<void> {
  const child = spawn('taskset', ['-c', '0', process.execPath, '--import', 'tsx', fileURLToPath(import.meta.url), '--servers'], {
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const { streamed, buffered } = await new Promise<{ streamed: number; buffered: number }>((resolve) =>
    child.stdout.once('data', (d: Buffer) => resolve(JSON.parse(d.toString()) as { streamed: number; buffered: number })),
  );

  function timed(port: number, urlPath: string): Promise<{ first: number; last: number }> {
    return new Promise((resolve, reject) => {
      const t0 = performance.now();
      let first = 0;
      const req = request({ host: '127.0.0.1', port, path: urlPath }, (res) => {
        res.on('data', () => {
          if (first === 0) first = performance.now() - t0;
        });
        res.on('end', () => resolve({ first, last: performance.now() - t0 }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (const urlPath of ['/', '/large']) {
    for (const concurrency of [1, 10]) {
      const results = { streamed: { first: [] as number[], last: [] as number[] }, buffered: { first: [] as number[], last: [] as number[] } };
      for (let i = 0; i < 20; i++) await Promise.all([timed(streamed, urlPath), timed(buffered, urlPath)]);
      for (let i = 0; i < n / concurrency; i++) {
        for (const [name, port] of [
          ['streamed', streamed],
          ['buffered', buffered],
        ] as const) {
          const batch = await Promise.all(Array.from({ length: concurrency }, () => timed(port, urlPath)));
          for (const t of batch) {
            results[name].first.push(t.first);
            results[name].last.push(t.last);
          }
        }
      }
      const row = (name: 'streamed' | 'buffered') => `${name} TTFB ${median(results[name].first).toFixed(1)} ms, last byte ${median(results[name].last).toFixed(1)} ms`;
      console.log(`${urlPath} c=${concurrency}: ${row('streamed')} | ${row('buffered')}`);
    }
  }
  child.kill();
}
