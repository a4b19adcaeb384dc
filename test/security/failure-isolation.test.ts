/**
 * INV-6: failures stay inside one request. Node ≥15 exits on a detached rejection or a throw in
 * a timer: a data hook must not be able to take every visitor's in-flight request down with it.
 * Also INV-7: shutdown loses nothing (fastify's close lets in-flight requests finish).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { litComponent, writeApp } from '../helpers/write-app.js';
import { get, serveProcess } from '../helpers/serve-process.js';

/**
 * Gates the test opens to order events instead of racing timers: while `hold-replacement` exists
 * a worker that starts (the replacement) cannot finish loading f-ok, so it never listens; while
 * `hold-slow` exists a `/slow?gate=1` request stays in flight (it writes `slow-started` first).
 */
const gates = mkdtempSync(path.join(tmpdir(), 'atoll-gates-'));
const waitWhileGate = (name: string) => `while (existsSync(${JSON.stringify(path.join(gates, name))})) await new Promise((r) => setTimeout(r, 20));`;

const root = writeApp({
  'app.config.json': {
    routes: [
      { id: 'slow', path: '/slow', contentTemplate: 'slow.html' },
      { id: 'reject', path: '/reject', contentTemplate: 'reject.html' },
      { id: 'timer', path: '/timer', contentTemplate: 'timer.html' },
      { id: 'ok', path: '/', contentTemplate: 'ok.html' },
    ],
  },
  'slow.html': '<f-slow></f-slow>',
  'reject.html': '<f-reject></f-reject>',
  'timer.html': '<f-timer></f-timer>',
  'ok.html': '<f-ok></f-ok>',
  'components/f-ok.ts': litComponent('f-ok', {
    properties: 'pid: {}',
    render: 'pid ${this.pid}',
    extra: `import { existsSync } from 'node:fs';
${waitWhileGate('hold-replacement')}
export const getServerData = () => ({ props: { pid: String(process.pid) } });`,
  }),
  'components/f-slow.ts': litComponent('f-slow', {
    properties: 'text: {}',
    render: '<p>${this.text}</p>',
    extra: `import { existsSync, writeFileSync } from 'node:fs';
const done = { props: { text: 'slow-done-' + 'x'.repeat(20000) } };
export const getServerData = async ({ query }) => {
  if (query.gate === undefined) return new Promise((r) => setTimeout(() => r(done), Number(query.ms ?? 800)));
  writeFileSync(${JSON.stringify(path.join(gates, 'slow-started'))}, '');
  ${waitWhileGate('hold-slow')}
  return done;
};`,
  }),
  'components/f-reject.ts': litComponent('f-reject', {
    render: 'fine',
    extra: "export const getServerData = () => { Promise.reject(new Error('detached rejection')); return {}; };",
  }),
  'components/f-timer.ts': litComponent('f-timer', {
    render: 'fine',
    extra: "export const getServerData = () => { setTimeout(() => { throw new Error('thrown in a timer'); }, 50); return {}; };",
  }),
});

let stop: (() => void) | undefined;
afterEach(() => {
  stop?.();
  for (const gate of ['hold-replacement', 'hold-slow', 'slow-started']) rmSync(path.join(gates, gate), { force: true });
});

const pidOf = async (base: string) => /pid <!--lit-part-->(\d+)/.exec((await get(base, '/')).body)![1];

test('a detached promise rejection is logged and the same worker keeps serving', async () => {
  const server = serveProcess(root);
  stop = server.stop;
  const base = await server.ready;
  const before = await pidOf(base);
  expect((await get(base, '/reject')).status).toBe(200);
  // Log lines are written in batches: wait for this one, then ask the worker again.
  await expect.poll(() => server.logLines().find((l) => l['code'] === 'ATOLL_DETACHED_REJECTION')?.['level'], { timeout: 10_000 }).toBe(50);
  expect(await pidOf(base)).toBe(before);
});

test('a throw in a timer: its replacement takes over, the in-flight request completes, no request is refused', async () => {
  const server = serveProcess(root);
  stop = server.stop;
  const base = await server.ready;
  const before = await pidOf(base);
  // Every step waits for the previous one to have happened, so a busy machine only slows it down.
  writeFileSync(path.join(gates, 'hold-replacement'), '');
  writeFileSync(path.join(gates, 'hold-slow'), '');
  const inFlight = get(base, '/slow?gate=1');
  await expect.poll(() => existsSync(path.join(gates, 'slow-started')), { timeout: 10_000 }).toBe(true);
  expect((await get(base, '/timer')).status).toBe(200);
  await expect.poll(() => server.output().stderr, { timeout: 10_000 }).toContain(`Worker ${before} crashed; starting its replacement`);
  // The crash has happened and the replacement cannot listen yet: the crashed worker still answers.
  expect(await pidOf(base)).toBe(before);
  rmSync(path.join(gates, 'hold-replacement'));
  // Until the replacement listens and the crashed worker stops accepting, either may answer; every
  // request is answered (pidOf throws on a refused connection or a page without a pid).
  let after = before;
  for (let i = 0; i < 400 && after === before; i++) {
    after = await pidOf(base);
    if (after === before) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(after).not.toBe(before);
  // The replacement answers; the crashed worker is closing but still holds the in-flight request.
  rmSync(path.join(gates, 'hold-slow'));
  const slow = await inFlight;
  expect(slow).toMatchObject({ status: 200, complete: true });
  expect(slow.body).toContain(`slow-done-${'x'.repeat(20000)}`);
  await expect.poll(() => server.logLines().find((l) => l['code'] === 'ATOLL_UNCAUGHT_EXCEPTION')?.['level'], { timeout: 10_000 }).toBe(60);
  await expect.poll(() => server.output().stderr, { timeout: 10_000 }).toMatch(new RegExp(`Worker ${before} exited \\(code 1\\) after its replacement took over\\.`));
  expect(await pidOf(base)).toBe(after);
});

test('a worker that keeps crashing stops the supervisor instead of restarting forever', async () => {
  const server = serveProcess(root);
  stop = server.stop;
  const base = await server.ready;
  const exited = server.exited.then((code) => ({ code }));
  let result: { code: number | null } | undefined;
  void exited.then((r) => (result = r));
  // Each crash waits for its replacement to start (about a second or two), so six take a while.
  for (let i = 0; i < 200 && result === undefined; i++) {
    await get(base, '/timer').catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  expect(await exited).toEqual({ code: 1 });
  expect(server.output().stderr).toContain('ATOLL_WORKER_CRASH_LOOP: 6 workers exited unexpectedly within 60 s');
}, 90_000);

test('SIGTERM: in-flight requests finish whole, new requests get 503 and then connections are refused, exit 0', async () => {
  const server = serveProcess(root);
  stop = server.stop;
  const base = await server.ready;
  const inFlight = get(base, '/slow?ms=1000');
  await new Promise((resolve) => setTimeout(resolve, 200));
  server.child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect((await get(base, '/')).status).toBe(503);
  await new Promise((resolve) => setTimeout(resolve, 400));
  await expect(get(base, '/')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  const slow = await inFlight;
  expect(slow).toMatchObject({ status: 200, complete: true });
  expect(slow.body).toContain('slow-done-');
  expect(await server.exited).toBe(0);
});

test('a second signal exits at once', async () => {
  const server = serveProcess(root);
  stop = server.stop;
  const base = await server.ready;
  const inFlight = get(base, '/slow?ms=5000').catch((error: unknown) => error);
  await new Promise((resolve) => setTimeout(resolve, 200));
  server.child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 100));
  server.child.kill('SIGTERM');
  expect(await server.exited).toBe(1);
  // "At once": the process is gone although its 5-second request never finished.
  const result = await inFlight;
  expect(result).not.toMatchObject({ status: 200 });
});
