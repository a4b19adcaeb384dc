import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { Client } from './data/page-deadline.js';
import type { EncodedVariants } from './cache/encode-variants.js';
import type { ActionResult, CookieJar } from './input/types.js';
import type { HandlerViewSettings } from './handlers/run-route-handler.js';

/**
 * The types every stage shares for one page request: the pipeline takes a PageRequest and returns
 * a PageResponse; the page cache and the error pages produce PageResponses too. They live here,
 * not in pipeline.ts, so those stages need not import the orchestrator that imports them.
 */
export interface PageRequest {
  readonly method: string;
  /** Path and query as requested, without basePath, e.g. "/category/books?sort=price". */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** The connection: a client that goes away ends the page's deadline (and its data hooks' signal). */
  readonly client: Client;
  readonly log: PageLog;
  /** Set once negotiated (for the page cache's key), so the render does not negotiate again. */
  readonly locale?: string;
  /** The outcome of the form action this POST ran, for every root's getServerData. */
  readonly actionResult?: ActionResult;
  /** Set-Cookie on this request's response; absent without one (static generation). */
  readonly cookieJar?: CookieJar;
  /** The parsed body of a POST, PUT, PATCH or DELETE to a route handler. */
  readonly body?: unknown;
  /** Set by the route handler stage: what the handler decided for the view it returned. */
  readonly handlerView?: HandlerViewSettings;
}

/** The part of pino's logger the pipeline uses. */
export interface PageLog {
  error(object: object, message: string): void;
  warn(object: object, message: string): void;
}

/**
 * A page to send. Only a whole page (string or Buffer) may be storable: the type keeps a streamed
 * body out of the page cache, so the cache needs no runtime check for it.
 */
export type PageResponse = WholePageResponse | StreamedPageResponse;

interface PageResponseBase {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** For the request log line. */
  readonly routeId: string;
}

export interface WholePageResponse extends PageResponseBase {
  /** A Buffer when it comes from the page cache (encoded once, sent as is). */
  readonly body: string | Buffer;
  /** TTL in seconds when the page cache may store this response (a public 200 with a TTL). */
  readonly storable?: number;
  /** The body compressed ahead of time (a cached page): sent instead of compressing it again. */
  readonly encoded?: EncodedVariants;
  /** The page's cache tags (route id, route and hook tags): a purge by any of them reaches it. */
  readonly tags?: readonly string[];
  /** crossRequestCache keys its hooks read: a set or delete of one drops the stored page. */
  readonly deps?: readonly string[];
}

/** A large uncached page, sent as it renders; never stored. */
export interface StreamedPageResponse extends PageResponseBase {
  readonly body: Readable;
  readonly storable?: undefined;
  readonly encoded?: undefined;
  /**
   * A page with deferred roots: once the stream wrote its last fill, the complete document as a
   * storable page when it is cacheable (undefined otherwise). Never rejects.
   */
  readonly completed?: Promise<WholePageResponse | undefined>;
}
