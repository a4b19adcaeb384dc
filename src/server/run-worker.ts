import type { FastifyInstance } from 'fastify';
import { atollError, describeThrown } from '../errors.js';
import { createServer, type ServerOptions } from './create-server.js';
import { releaseCompiler } from '../compile/esbuild-options.js';
import { stopAccepting } from './stop-accepting.js';

import type { WorkerMessage } from './worker-message.js';

const DRAIN_MS = 10_000;
/**
 * Before the server closes its sockets, requests that arrive on kept-alive connections get a
 * clean 503 with Connection: close; closing an idle socket at the moment its client sends the
 * next request would otherwise reset that request.
 */
const GRACE_MS = 250;
/** How long a crashed worker keeps serving while its replacement starts. */
const REPLACEMENT_WAIT_MS = 10_000;

/**
 * One serving process. A detached promise rejection is logged and serving continues (it cannot
 * have changed any response). An uncaught exception (a throw in a timer or callback) leaves the
 * process in an unknown state: the worker asks the supervisor for a replacement, and once that
 * one listens (so the shared socket never lacks a worker) it stops accepting, answers the
 * requests of the connections it had already accepted, lets in-flight requests finish (at most
 * DRAIN_MS) and exits 1. SIGTERM, SIGINT or the
 * supervisor's shutdown message close it the same way and exit 0, after GRACE_MS in which new
 * requests get 503 + Connection: close.
 */
export async function runWorker(options: ServerOptions, listen: { port: number; host: string }): Promise<void> {
  // A shutdown sent while the app still compiles would otherwise be dropped (no listener yet) and
  // the worker would serve until the supervisor's hard stop. Remembered here, it ends the worker
  // before it ever listens: it holds no request, so it exits 0 at once.
  let shutdownBeforeListen = false;
  const early = (message: WorkerMessage): void => {
    if (message.type === 'atoll:shutdown') shutdownBeforeListen = true;
  };
  process.on('message', early);
  const server = await createServer(options);
  await releaseCompiler();
  process.off('message', early);
  if (shutdownBeforeListen) process.exit(0);
  const stopAcceptingConnections = stopAccepting(server.server);
  let closing = false;
  const close = (code: number): void => {
    if (closing) return;
    closing = true;
    const deadline = setTimeout(() => process.exit(code === 0 ? 1 : code), DRAIN_MS);
    deadline.unref();
    const closeServer = (): void => {
      server.close().then(
        () => process.exit(code),
        (error: unknown) => {
          server.log.error({ err: error }, 'closing the server failed');
          process.exit(1);
        },
      );
    };
    // A crashed worker's replacement already takes new connections: it stops accepting at once,
    // serves the requests of the connections it has accepted, then closes.
    server.atollDraining = code === 0;
    if (code === 0) setTimeout(closeServer, GRACE_MS);
    else void stopAcceptingConnections().then(closeServer);
  };
  const drain = (): void => {
    if (process.send === undefined) {
      close(1);
      return;
    }
    process.send({ type: 'atoll:draining' } satisfies WorkerMessage);
    setTimeout(() => close(1), REPLACEMENT_WAIT_MS).unref();
  };
  installCrashHandlers(server, drain);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => close(0));
  process.on('message', (message: WorkerMessage) => {
    if (message.type === 'atoll:shutdown') close(0);
    else if (message.type === 'atoll:replaced') close(1);
  });
  const address = await server.listen(listen);
  process.send?.({ type: 'atoll:ready', address } satisfies WorkerMessage);
}

function installCrashHandlers(server: FastifyInstance, drain: () => void): void {
  process.on('unhandledRejection', (reason) => {
    const error = atollError('ATOLL_DETACHED_REJECTION', [describeThrown(reason)], { cause: reason });
    server.log.error({ err: reason, code: error.code }, `${error.message} ${error.hint}`);
  });
  process.on('uncaughtException', (thrown) => {
    const error = atollError('ATOLL_UNCAUGHT_EXCEPTION', [describeThrown(thrown)], { cause: thrown });
    server.log.fatal({ err: thrown, code: error.code }, `${error.message} ${error.hint}`);
    drain();
  });
}
