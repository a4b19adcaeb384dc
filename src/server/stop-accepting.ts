import { Server as NetServer, type Socket } from 'node:net';
import type { Server as HttpServer } from 'node:http';

/**
 * Watches `server` (call it before it listens) and returns the first step of a crashed worker's
 * close. Closing an HTTP server at once (fastify's close, and Node's own `server.close()`) ends
 * every connection that has no request in progress, and fastify answers 503 to any request it
 * routes after that. A connection that the worker accepted a moment before (its client may not
 * even have written the request yet) is such a connection, so its client got ECONNRESET ("socket
 * hang up") or a 503, although the replacement was already serving. The returned function only
 * stops accepting (closes the listening handle: the shared socket stays with the other workers,
 * and under round-robin the primary stops handing this worker connections), and resolves once
 * every connection accepted so far has started its first request or closed, so that the full
 * close that follows routes those requests normally and finds only kept-alive connections idle.
 * A connection that never sends a request keeps it pending; the caller's drain deadline bounds it.
 */
export function stopAccepting(server: HttpServer): () => Promise<void> {
  const fresh = new Set<Socket>();
  let settle: (() => void) | undefined;
  const forget = (socket: Socket): void => {
    fresh.delete(socket);
    if (fresh.size === 0) settle?.();
  };
  server.on('connection', (socket: Socket) => {
    fresh.add(socket);
    socket.once('close', () => forget(socket));
  });
  server.on('request', (request: { socket: Socket }) => forget(request.socket));
  return () =>
    new Promise<void>((resolve) => {
      // net's close, not http's: http's would also end the connections this step waits for.
      NetServer.prototype.close.call(server);
      settle = resolve;
      if (fresh.size === 0) resolve();
    });
}
