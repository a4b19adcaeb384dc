/** Public types of route handlers (a route's `routeHandler` module). */

import type { JsonValue } from '../data/types.js';
import type { FormFields, InputContext } from '../input/types.js';

/**
 * What a route handler is given, one per request. Destructure only what you use: `headers` and
 * `cookies` are getters, and reading either (or calling setCookie or clearCookie) makes the
 * response personal: a view is then never `public` nor stored, a response never `public`.
 */
export interface RouteHandlerContext extends InputContext {
  /** GET, HEAD (answered by the GET function), POST, PUT, PATCH or DELETE. */
  readonly method: string;
  /**
   * The parsed body, within forms.bodyLimit (and maxFiles/maxFileSize for multipart): the JSON
   * value of an application/json body, the fields of a urlencoded or multipart form (as
   * context.form of an action), the text of text/plain; undefined without a body (GET).
   */
  readonly body: JsonValue | FormFields | string | undefined;
  /** Aborts when SSR_TIMEOUT passes or the client goes away. */
  readonly signal: AbortSignal;
}

/** A page rendered through the pipeline: one of the route's `views`, its data hooks run as on any page. */
export interface RouteHandlerView {
  view: { contentTemplate?: string; rootComponent?: string; layoutTemplate?: string };
  /** Replace the route's `properties` for this response ({{ name }} in the view's templates, title). */
  viewParams?: Record<string, unknown>;
  /** 200–299 or 400–599. Default: what the page's data hooks decide (200). */
  status?: number;
  headers?: Record<string, string>;
  /** Replaces the route's cache.ttl for this response (seconds, or "10 minutes"). */
  cache?: { ttl?: number | string };
}

/** A response sent as it is: a string (text/plain), a Buffer (application/octet-stream) or a JSON value (application/json) unless headers say content-type. */
export interface RouteHandlerResponse {
  /** Typed loosely (an interface has no index signature); checked when returned: it must survive JSON.stringify. */
  body: string | Buffer | number | boolean | null | object;
  /** 200–599. Default 200. */
  status?: number;
  headers?: Record<string, string>;
}

export type RouteHandlerResult = RouteHandlerView | RouteHandlerResponse;

export type RouteHandler = (context: RouteHandlerContext) => Promise<RouteHandlerResult> | RouteHandlerResult;
