import type { FastifyInstance } from 'fastify';
import { pino, type DestinationStream } from 'pino';

/**
 * Log lines go to stdout asynchronously (a synchronous write per request line costs the event
 * loop under load); whatever is still buffered is written when the process exits.
 */
export function stdoutLog(): DestinationStream {
  const destination = pino.destination({ dest: 1, sync: false });
  process.once('exit', () => destination.flushSync());
  return destination;
}

/** One line per request: route id, method, URL, status, ms and the page cache's verdict. */
export function registerRequestLog(server: FastifyInstance): void {
  server.addHook('onResponse', (request, reply, done) => {
    request.log.info(
      {
        routeId: request.atollRouteId || undefined,
        method: request.method,
        url: request.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        cache: reply.getHeader('x-atoll-cache'),
      },
      'request',
    );
    done();
  });
}
