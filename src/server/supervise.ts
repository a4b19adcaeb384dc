import cluster, { type Worker } from 'node:cluster';
import { atollError } from '../errors.js';
import type { WorkerMessage } from './worker-message.js';

export interface SuperviseOptions {
  readonly workers: number;
  /** Printed once, when the first worker listens. */
  readonly onReady: (address: string) => void;
  readonly log: (line: string) => void;
}

/**
 * How new connections reach the workers. Node's default on Linux, round-robin, has the primary
 * accept every connection and hand it to a worker over IPC; a saturated worker reads that
 * message only after its queued work, so the first request of each new connection waited
 * hundreds of milliseconds and made the p99 (Node 22, c=50: 600 ms against 45 ms when the worker
 * accepts itself). With one worker there is nothing to balance: it accepts directly. With more,
 * round-robin stays, because the kernel's own distribution can pile connections onto a few
 * workers. NODE_CLUSTER_SCHED_POLICY ("rr" or "none"), Node's own switch, overrides both.
 */
export function schedulingPolicy(workers: number, fromEnvironment: string | undefined): number {
  if (fromEnvironment === 'rr') return cluster.SCHED_RR;
  if (fromEnvironment === 'none') return cluster.SCHED_NONE;
  return workers === 1 ? cluster.SCHED_NONE : cluster.SCHED_RR;
}

const SHUTDOWN_MS = 25_000;
const CRASH_WINDOW_MS = 60_000;
const MAX_CRASHES = 5;

/**
 * The primary process of `npm start`: forks the workers (which share the listening socket) and
 * replaces a worker that crashes. A crashed worker reports itself first (draining): its
 * replacement is started at once and the old one closes only when the new one listens, so the
 * shared socket always has a worker and no connection is refused. A worker that exits without
 * warning is replaced too. A worker that dies before it ever listened (an invalid app)
 * stops everything with exit 1. SIGTERM/SIGINT: every worker drains its in-flight requests and
 * exits, then the primary exits 0 (at most SHUTDOWN_MS); a second signal exits at once.
 */
export function supervise(options: SuperviseOptions): void {
  cluster.schedulingPolicy = schedulingPolicy(options.workers, process.env['NODE_CLUSTER_SCHED_POLICY']);
  let shuttingDown = false;
  let announced = false;
  const ready = new WeakSet<Worker>();
  const replaced = new WeakSet<Worker>();
  const crashes: number[] = [];

  const crashed = (): boolean => {
    const now = Date.now();
    crashes.push(now);
    while (crashes[0]! < now - CRASH_WINDOW_MS) crashes.shift();
    if (crashes.length <= MAX_CRASHES) return false;
    const error = atollError('ATOLL_WORKER_CRASH_LOOP', [crashes.length, CRASH_WINDOW_MS / 1000]);
    options.log(`${error.code}: ${error.message}\nHint: ${error.hint}`);
    stopAll(1);
    return true;
  };

  const fork = (replacing?: Worker): void => {
    const worker = cluster.fork();
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'atoll:draining') {
        if (shuttingDown || replaced.has(worker) || crashed()) return;
        replaced.add(worker);
        options.log(`Worker ${worker.process.pid} crashed; starting its replacement before it closes.`);
        fork(worker);
        return;
      }
      if (message.type !== 'atoll:ready') return;
      ready.add(worker);
      if (replacing?.isConnected()) replacing.send({ type: 'atoll:replaced' } satisfies WorkerMessage);
      if (!announced) {
        announced = true;
        options.onReady(message.address);
      }
    });
  };

  cluster.on('exit', (worker, code, signal) => {
    const remaining = Object.keys(cluster.workers ?? {}).length;
    if (shuttingDown) {
      if (remaining === 0) process.exit(0);
      return;
    }
    if (replaced.has(worker)) {
      options.log(`Worker ${worker.process.pid} exited (code ${code ?? signal}) after its replacement took over.`);
      return;
    }
    if (!ready.has(worker)) {
      options.log(`A worker exited (code ${code ?? signal}) before it could serve; stopping.`);
      stopAll(1);
      return;
    }
    if (crashed()) return;
    options.log(`Worker ${worker.process.pid} exited (code ${code ?? signal}); starting a fresh one.`);
    fork();
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (shuttingDown) stopAll(1);
      shuttingDown = true;
      options.log(`${signal}: finishing in-flight requests, then exiting.`);
      for (const worker of Object.values(cluster.workers ?? {})) worker?.send({ type: 'atoll:shutdown' } satisfies WorkerMessage);
      setTimeout(() => stopAll(1), SHUTDOWN_MS).unref();
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    });
  }

  for (let i = 0; i < options.workers; i++) fork();
}

function stopAll(code: number): void {
  for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
  process.exit(code);
}
