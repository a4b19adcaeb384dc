import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { loadApp, type App } from '../app.js';
import { AtollError } from '../errors.js';
import { serveApp } from '../server/create-server.js';
import { TOOL_SERVER_OVERLOAD } from '../server/overload.js';
import { DEV_EVENTS_PATH, reloadClientScript } from './reload-client.js';
import { devErrorPage } from './dev-error-page.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** Messages from the watcher (src/dev/watch-app.ts) to this process. */
export type DevMessage = { type: 'atoll:reload'; files: string[] };

export interface DevServerOptions {
  readonly root: string;
  readonly port: number;
  readonly host: string;
  readonly ssrTimeoutMs: number;
  readonly logLevel: string;
}

/**
 * The server half of `npm run dev`. One HTTP server stays up while the app behind it is
 * replaced: a config, template or asset change reloads the app in this process (components are
 * content-hashed, so unchanged ones are not compiled or defined again) and tells every open tab
 * to reload. A component change restarts this process instead (the watcher does it): Lit's
 * customElements registry cannot redefine a tag, so new component code needs a fresh module
 * context, once per rebuild, never per request. When the app cannot load, every page shows the
 * error (escaped) until the next change fixes it; the server never stops.
 */
export async function runDevServer(options: DevServerOptions): Promise<void> {
  const id = randomUUID();
  const listeners = new Set<ServerResponse>();
  let handler: Handler = (_request, response) => response.writeHead(503).end('starting');
  let reloadScript = reloadClientScript('');

  const load = async (): Promise<void> => {
    try {
      const app = await loadApp(options.root, { mode: 'development', ssrTimeoutMs: options.ssrTimeoutMs, withoutPageCache: true, withoutFragmentCache: true });
      reloadScript = reloadClientScript(app.config.basePath);
      handler = await handlerFor(app, reloadScript, options.logLevel);
      console.error(`Atoll dev: app loaded (${app.config.routes.length} routes)`);
    } catch (error) {
      const page = devErrorPage(error, reloadScript);
      handler = (_request, response) => response.writeHead(500, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page);
      console.error(AtollError.is(error) ? `Atoll dev: ${error.code}: ${error.message}\nHint: ${error.hint}` : error);
    }
    for (const listener of listeners) listener.write('event: reload\ndata: \n\n');
  };

  const server = createHttpServer((request, response) => {
    if (request.url?.split('?')[0]?.endsWith(DEV_EVENTS_PATH)) {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      response.write(`event: hello\ndata: ${id}\n\n`);
      listeners.add(response);
      request.on('close', () => listeners.delete(response));
      return;
    }
    handler(request, response);
  });
  await load();
  process.on('message', (message: DevMessage) => {
    if (message.type === 'atoll:reload') void load();
  });
  await new Promise<void>((resolve) => server.listen(options.port, options.host, resolve));
  const address = server.address() as { port: number };
  console.log(`Atoll dev server at http://${options.host}:${address.port} (development; watching ${options.root})`);
  process.send?.({ type: 'atoll:dev-ready', port: address.port });
}

async function handlerFor(app: App, bodyEndScript: string, logLevel: string): Promise<Handler> {
  let route: Handler | undefined;
  const fastify = serveApp(app, {
    logLevel,
    overload: TOOL_SERVER_OVERLOAD,
    dev: {
      bodyEndScript,
      serverFactory: (handle) => {
        route = handle;
        return createHttpServer();
      },
    },
  });
  await fastify.ready();
  return route!;
}
