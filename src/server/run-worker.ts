import type { FastifyInstance } from 'fastify';
import { atollError, describeThrown } from '../errors.js';
import { createServer, type ServerOptions } from './create-server.js';

/** Messages between the supervisor and a worker. */
export type WorkerMessage = { type: 'atoll:ready'; address: string } | { type: 'atoll:shutdown' };

const DRAIN_MS = 10_000;

/**
 * One serving process. A detached promise rejection is logged and serving continues (it cannot
 * have changed any response). An uncaught exception (a throw in a timer or callback) leaves the
 * process in an unknown state: the worker stops accepting, lets in-flight requests finish (at
 * most DRAIN_MS) and exits 1, and the supervisor starts a fresh one. SIGTERM, SIGINT or the
 * supervisor's shutdown message close it the same way and exit 0.
 */
export async function runWorker(options: ServerOptions, listen: { port: number; host: string }): Promise<void> {
  const server = await createServer(options);
  let closing = false;
  const close = (code: number): void => {
    if (closing) return;
    closing = true;
    const deadline = setTimeout(() => process.exit(code === 0 ? 1 : code), DRAIN_MS);
    deadline.unref();
    server.close().then(
      () => process.exit(code),
      (error: unknown) => {
        server.log.error({ err: error }, 'closing the server failed');
        process.exit(1);
      },
    );
  };
  installCrashHandlers(server, close);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => close(0));
  process.on('message', (message: WorkerMessage) => {
    if (message.type === 'atoll:shutdown') close(0);
  });
  const address = await server.listen(listen);
  process.send?.({ type: 'atoll:ready', address } satisfies WorkerMessage);
}

function installCrashHandlers(server: FastifyInstance, close: (code: number) => void): void {
  process.on('unhandledRejection', (reason) => {
    const error = atollError('ATOLL_DETACHED_REJECTION', [describeThrown(reason)], { cause: reason });
    server.log.error({ err: reason, code: error.code }, `${error.message} ${error.hint}`);
  });
  process.on('uncaughtException', (thrown) => {
    const error = atollError('ATOLL_UNCAUGHT_EXCEPTION', [describeThrown(thrown)], { cause: thrown });
    server.log.fatal({ err: thrown, code: error.code }, `${error.message} ${error.hint}`);
    close(1);
  });
}
