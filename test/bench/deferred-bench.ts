/**
 * Benchmark (not a test): deferred roots. The reference page (`/`) against the same page plus a
 * deferred root whose data takes 1 s (`/deferred`), on one Atoll server run as `npm start` runs
 * it (dist/, supervisor + one worker), pinned to CPU 0; wrk on CPU 1.
 * - TTFB: requests alternate between the two pages, each started once the previous one's first
 *   body byte arrived (the deferred responses finish in the background, a second later); medians.
 * - Throughput with deferred roots pending: wrk -c50 on `/` alone, then with `pending` requests
 *   to `/deferred` kept open all the time (each one re-sent when it ends), alternating in rounds.
 * - wrk -c256 on `/deferred` itself: its req/s is bound by the 1 s hold (≈ connections / 1 s),
 *   not by CPU, and every response must end with the fill.
 * Part of `npm run bench` (server-bench.ts); alone: `npm run bench -- --deferred-only [--quick]`.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { request } from 'node:http';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/recipe.js';
import { groupCpuSeconds } from './group-cpu-seconds.js';

const RECIPE = path.join(REPO_ROOT, 'recipes', 'bench-reference');
const FILL = 'data-atoll-fill=';

export interface DeferredBenchOptions {
  readonly requests: number;
  readonly rounds: number;
  readonly seconds: number;
  readonly pending: number;
  readonly port: number;
}

export async function runDeferredBench(node: string, options: DeferredBenchOptions): Promise<void> {
  const child = spawn('taskset', ['-c', '0', node, '--enable-source-maps', 'dist/cli.js', 'serve', '--root', RECIPE, '--port', String(options.port)], {
    cwd: REPO_ROOT,
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'info', WORKERS: '1' },
    stdio: 'ignore',
    detached: true,
  });
  const base = { host: '127.0.0.1', port: options.port };
  try {
    await waitUntilUp(base.port);
    const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
    // Warm-up: both pages, compiled templates and JIT.
    for (let i = 0; i < 30; i++) await Promise.all([get(base, '/'), get(base, '/deferred')].map((r) => r.done));

    const ttfb = { plain: [] as number[], deferred: [] as number[] };
    const ends: Promise<Timed>[] = [];
    for (let i = 0; i < options.requests; i++) {
      const plain = get(base, '/');
      ttfb.plain.push(await plain.first);
      await plain.done;
      const deferred = get(base, '/deferred');
      ttfb.deferred.push(await deferred.first);
      ends.push(deferred.done);
    }
    const finished = await Promise.all(ends);
    const withFill = finished.filter((t) => t.body.includes(FILL)).length;
    const last = median(finished.map((t) => t.last));

    const plainRps: number[] = [];
    const pendingRps: number[] = [];
    const cpu = { plain: [] as number[], pending: [] as number[] };
    const non2xx = { plain: 0, pending: 0 };
    let completed = 0;
    for (let round = 0; round < options.rounds; round++) {
      const order = round % 2 === 0 ? ['plain', 'pending'] : ['pending', 'plain'];
      for (const mode of order) {
        const holder = mode === 'pending' ? holdPending(base, options.pending) : undefined;
        await holder?.allOpen;
        const before = groupCpuSeconds(child.pid!);
        const result = await wrk(`http://127.0.0.1:${base.port}/`, 50, options.seconds);
        (mode === 'plain' ? cpu.plain : cpu.pending).push(((groupCpuSeconds(child.pid!) - before) / options.seconds) * 100);
        (mode === 'plain' ? plainRps : pendingRps).push(result.rps);
        non2xx[mode === 'plain' ? 'plain' : 'pending'] += result.non2xx;
        if (holder !== undefined) completed += await holder.stop();
        process.stderr.write(`  round ${round + 1} ${mode}: ${Math.round(result.rps)} req/s\n`);
      }
    }
    const loadSeconds = options.seconds * 2;
    const deferredLoad = await wrk(`http://127.0.0.1:${base.port}/deferred`, 256, loadSeconds);

    console.log(`\n### Deferred roots, Node ${version}: ${options.requests} TTFB pairs; ${options.rounds} rounds of ${options.seconds} s, wrk -t1 -c50\n`);
    console.log('| measure | reference page `/` | with a 1 s deferred root `/deferred` | ratio |');
    console.log('|---|---|---|---|');
    console.log(
      `| median time to first byte, ms | ${median(ttfb.plain).toFixed(2)} | ${median(ttfb.deferred).toFixed(2)} | **${(median(ttfb.deferred) / median(ttfb.plain)).toFixed(2)}** |`,
    );
    console.log(
      `| p90 time to first byte, ms | ${pct(ttfb.plain, 0.9).toFixed(2)} | ${pct(ttfb.deferred, 0.9).toFixed(2)} | ${(pct(ttfb.deferred, 0.9) / pct(ttfb.plain, 0.9)).toFixed(2)} |`,
    );
    console.log(`| median time to last byte, ms | | ${last.toFixed(0)} (${withFill}/${finished.length} ended with their fill) | |`);
    console.log(
      `\n| wrk -c50 on \`/\` | 2xx req/s (median of rounds) | ratio | server CPU % (median) | non-2xx |\n|---|---|---|---|---|\n| alone | ${Math.round(median(plainRps))} | 1 | ${Math.round(median(cpu.plain))} | ${non2xx.plain} |\n| with ${options.pending} \`/deferred\` requests pending throughout (${completed} completed meanwhile) | ${Math.round(median(pendingRps))} | **${(median(pendingRps) / median(plainRps)).toFixed(2)}** | ${Math.round(median(cpu.pending))} | ${non2xx.pending} |`,
    );
    console.log(
      `\nwrk -c256 -d${loadSeconds}s on \`/deferred\`: ${Math.round(deferredLoad.rps)} req/s (bound by the 1 s hold: 256 connections complete at most ${loadSeconds - 1} rounds in ${loadSeconds} s, ${Math.round((256 * (loadSeconds - 1)) / loadSeconds)} req/s), p50 ${deferredLoad.p50.toFixed(0)} ms, p99 ${deferredLoad.p99.toFixed(0)} ms, non-2xx ${deferredLoad.non2xx}`,
    );
  } finally {
    process.kill(-child.pid!, 'SIGKILL');
  }
}

interface Timed {
  readonly first: number;
  readonly last: number;
  readonly body: string;
}

/** A GET: `first` resolves with the ms to the first body byte, `done` once it ended. */
function get(base: { host: string; port: number }, urlPath: string): { first: Promise<number>; done: Promise<Timed> } {
  const t0 = performance.now();
  let onFirst!: (ms: number) => void;
  const first = new Promise<number>((resolve) => (onFirst = resolve));
  const done = new Promise<Timed>((resolve, reject) => {
    let firstMs = 0;
    let body = '';
    const req = request({ ...base, path: urlPath }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (firstMs === 0) {
          firstMs = performance.now() - t0;
          onFirst(firstMs);
        }
        body += chunk;
      });
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`${urlPath}: ${res.statusCode}`));
        else resolve({ first: firstMs, last: performance.now() - t0, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
  return { first, done };
}

/** Keeps `count` requests to /deferred open: each is sent again when it ends, until stop(). */
function holdPending(base: { host: string; port: number }, count: number): { allOpen: Promise<void>; stop: () => Promise<number> } {
  let stopped = false;
  let completed = 0;
  const firsts: Promise<number>[] = [];
  const loops = Array.from({ length: count }, async (_, i) => {
    let next = get(base, '/deferred');
    firsts[i] = next.first;
    for (;;) {
      await next.done;
      completed++;
      if (stopped) return;
      next = get(base, '/deferred');
    }
  });
  return {
    allOpen: Promise.all(firsts).then(() => undefined),
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
      return completed;
    },
  };
}

/** wrk pinned to CPU 1; asynchronous, so this process keeps its pending requests going meanwhile. */
async function wrk(url: string, connections: number, seconds: number): Promise<{ rps: number; p50: number; p99: number; non2xx: number }> {
  const { stdout: out } = await promisify(execFile)('taskset', ['-c', '1', 'wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '10s', '--latency', url], {
    encoding: 'utf8',
  });
  const ms = (label: string) => {
    const m = new RegExp(`${label}\\s+([\\d.]+)(us|ms|s)`).exec(out);
    return m === null ? Number.NaN : Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1);
  };
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const total = Number(/(\d+) requests in/.exec(out)![1]);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)![1]);
  return { rps: total === 0 ? 0 : rps * ((total - non2xx) / total), p50: ms('50%'), p99: ms('99%'), non2xx };
}

async function waitUntilUp(port: number): Promise<void> {
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).ok) return;
    } catch (error) {
      if (!(error instanceof TypeError)) throw error; // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server on port ${port} did not come up`);
}

const median = (xs: number[]) => pct(xs, 0.5);
function pct(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}
