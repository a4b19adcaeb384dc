import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { pino, type Bindings, type ChildLoggerOptions, type DestinationStream, type LogFn } from 'pino';

/** Log lines are written once this many bytes are buffered, */
const LOG_BUFFER_BYTES = 4096;
/** or after at most this many milliseconds, whichever comes first. */
const LOG_FLUSH_MS = 100;

/**
 * Log lines go to stdout asynchronously and in batches: a write per request line (a syscall, and
 * the event loop's turn it takes) cost 4% of the requests per second of a page built from stored
 * fragments. A quiet server still writes every line within LOG_FLUSH_MS; whatever is buffered is
 * written when the process exits (a crash included; only SIGKILL loses it).
 */
export function stdoutLog(): DestinationStream {
  const destination = pino.destination({ dest: 1, sync: false, minLength: LOG_BUFFER_BYTES, periodicFlush: LOG_FLUSH_MS });
  process.once('exit', () => destination.flushSync());
  return destination;
}

/**
 * fastify's childLoggerFactory: `request.log` makes its pino child (the request id bound) on the
 * first line it writes. Most requests write none through it (their one line comes from
 * registerRequestLog, on the server's logger), and making a child on every request cost about 4%
 * of a personal page's requests per second. Lines are the same as a child's would be.
 */
export function lazyRequestLogger(logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  return new LazyChildLogger(logger, bindings, options);
}

class LazyChildLogger implements FastifyBaseLogger {
  readonly #parent: FastifyBaseLogger;
  readonly #bindings: Bindings;
  readonly #options: ChildLoggerOptions;
  #child: FastifyBaseLogger | undefined;

  constructor(parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#options = options;
  }

  get #log(): FastifyBaseLogger {
    this.#child ??= this.#parent.child(this.#bindings, this.#options);
    return this.#child;
  }

  get level(): string {
    return this.#child?.level ?? this.#options.level ?? this.#parent.level;
  }

  set level(level: string) {
    this.#log.level = level;
  }

  declare fatal: LogFn;
  declare error: LogFn;
  declare warn: LogFn;
  declare info: LogFn;
  declare debug: LogFn;
  declare trace: LogFn;
  declare silent: LogFn;

  static {
    for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const) {
      LazyChildLogger.prototype[level] = function (this: LazyChildLogger, ...line: Parameters<LogFn>) {
        this.#log[level](...line);
      };
    }
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#log.child(bindings, options);
  }
}

/**
 * One line per request: request id, route id, method, URL, status, ms and the page cache's
 * verdict. Written on the server's logger with the id as its first field, which is the line the
 * request's child would write, without making the child.
 */
export function registerRequestLog(server: FastifyInstance): void {
  server.addHook('onResponse', (request, reply, done) => {
    server.log.info(
      {
        reqId: request.id,
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
