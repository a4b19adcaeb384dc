/** Public types of the data hooks a root component module may export. */

import type { ActionResult } from '../input/types.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Shared by every request of the process: never store anything specific to one visitor. */
export interface CrossRequestCache {
  get<T = unknown>(key: string): T | undefined;
  /** `ttl` in seconds; the entry is dropped after it (and earlier when the cache is full). */
  set(key: string, value: unknown, ttl: number): void;
  has(key: string): boolean;
  delete(key: string): boolean;
}

/** Destructure it (`{ params, signal }`): `headers`, `cookies` and `signal` are getters, which a spread (`{ ...context }`) does not copy. */
export interface SsrRequestContext {
  /** The template attributes of this root, kebab-case names camelCased, values as strings. */
  readonly props: Readonly<Record<string, string>>;
  /** Path and query as requested, without basePath: "/category/books?sort=price". */
  readonly url: string;
  readonly params: Readonly<Record<string, string | readonly string[]>>;
  /** Repeated keys become arrays. */
  readonly query: Readonly<Record<string, string | readonly string[]>>;
  readonly locale: string;
  readonly basePath: string;
  readonly method: string;
  /** Reading this marks the page as private: it depends on who asked. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /**
   * The request's `Cookie` header by name (values percent-decoded where they decode; a name sent
   * twice keeps its first value). Cookies are headers: reading this marks the page as private too.
   * A null-prototype object, so a cookie named `__proto__` is plain data.
   */
  readonly cookies: Readonly<Record<string, string | undefined>>;
  readonly crossRequestCache: CrossRequestCache;
  /** Set when the page renders after a form action (a POST) returned data instead of a redirect. */
  readonly actionResult: ActionResult | undefined;
  /** Aborts when the page deadline (SSR_TIMEOUT) passes or the client goes away. */
  readonly signal: AbortSignal;
  /**
   * `path` (after basePath, like `url`) as a URL of `locale` (default: this request's):
   * `/fr/category/books` with `i18n.uriPattern: "path-prefix"`, `path` unchanged for the default
   * locale or without path-prefix. Usable as a redirect destination; put `basePath` in front for an href.
   */
  readonly localePath: (path: string, locale?: string) => string;
}

export interface MetaTag {
  name?: string;
  httpEquiv?: string;
  property?: string;
  itemprop?: string;
  content?: string;
}

export interface LinkTag {
  href: string;
  rel?: string;
  as?: string;
  fetchpriority?: 'high' | 'low' | 'auto';
  type?: string;
  sizes?: string;
  media?: string;
  crossorigin?: '' | 'anonymous' | 'use-credentials';
  hreflang?: string;
}

export interface HeadMarkup {
  title?: string;
  meta?: MetaTag[];
  links?: LinkTag[];
  /** Always emitted as `<script type="application/ld+json">`; `body` is JSON text or a value. */
  scripts?: { body: string | JsonValue }[];
  styles?: { body: string; id?: string }[];
}

export interface SsrDataResponse {
  /** Set as properties on the element before it renders (and sent to the browser for islands). */
  props?: Record<string, unknown>;
  markup?: HeadMarkup;
  /**
   * `ttl`: seconds (or "10 minutes") this root's data and HTML stay fresh. `tags`: purge handles
   * for this root's fragment and every page containing it (printable ASCII, no spaces or commas,
   * at most 64 of 128 characters). `key`: replaces the request path and query in the fragment
   * cache's key, so one fragment serves every URL that returns the same key.
   */
  cache?: { ttl?: number | string; tags?: string[]; key?: string };
  /** 200–599 but not 3xx (use redirect). The first root in document order that sets one wins. */
  status?: number;
  headers?: Record<string, string>;
  redirect?: { destination: string; permanent?: boolean };
  notFound?: true;
}

// biome-ignore lint/suspicious/noConfusingVoidType: a hook that returns nothing (an `async` function without `return`) is valid.
export type GetServerData = (context: SsrRequestContext) => Promise<SsrDataResponse | undefined | void> | SsrDataResponse | undefined | void;

/** For `npm run generate`: the params objects to prerender a parameterised route with. */
export type GetStaticPaths = () => Promise<Record<string, string | string[]>[]> | Record<string, string | string[]>[];
