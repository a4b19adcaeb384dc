/** The validated, resolved, frozen app configuration. Every path here is absolute. */

export type PageContent = { readonly kind: 'template'; readonly file: string } | { readonly kind: 'component'; readonly tag: string };

/** What a route and an error route have in common: how to build the page. */
export interface PageConfig {
  readonly id: string;
  readonly content: PageContent;
  readonly layoutFile: string | undefined;
  readonly properties: Readonly<Record<string, unknown>>;
  /** Whole seconds; undefined when the config sets none. */
  readonly ttl: number | undefined;
  /** Route cache.tags (validated: printable, no separators); every page also carries its id as a tag. */
  readonly tags: readonly string[];
  /** false: serve the shell and render every root in the browser. */
  readonly ssr: boolean;
  /** The route's own page deadline in ms (`ssrTimeout`), overriding SSR_TIMEOUT; undefined when unset. */
  readonly ssrTimeoutMs: number | undefined;
}

/** A page route: its content and layout are compiled into one page at startup. */
export interface PageRouteConfig extends PageConfig {
  readonly path: string;
  readonly handler?: undefined;
}

export type HandlerMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteHandlerConfig {
  /** The handler module (absolute), compiled for Node like components. */
  readonly file: string;
  /** What the route takes (GET also answers HEAD); default ["GET"]. */
  readonly methods: readonly HandlerMethod[];
  /** The pages the handler may return as `{ view }`, each with the route's id, properties, TTL and tags. */
  readonly views: readonly PageConfig[];
}

/** A route answered by its routeHandler: a view rendered as a page, or a response sent as it is. */
export interface HandlerRouteConfig {
  readonly id: string;
  readonly path: string;
  readonly properties: Readonly<Record<string, unknown>>;
  readonly ttl: number | undefined;
  readonly tags: readonly string[];
  readonly handler: RouteHandlerConfig;
}

export type RouteConfig = PageRouteConfig | HandlerRouteConfig;

export interface ErrorRouteConfig extends PageConfig {
  readonly status: 404 | 500;
}

export interface AssetDir {
  readonly dir: string;
  /** Without basePath. */
  readonly urlPath: string;
}

export interface I18nConfig {
  readonly defaultLocale: string;
  readonly locales: readonly string[];
  /** 'path-prefix': the locale is the URL's first segment (none for defaultLocale); else Accept-Language. */
  readonly uriPattern: 'path-prefix' | undefined;
  /** With 'path-prefix': `<link rel="alternate" hreflang>` for every locale in each page's head. */
  readonly alternateLinks: boolean;
}

export interface AppConfig {
  readonly root: string;
  readonly configFile: string;
  /** "" or "/shop". */
  readonly basePath: string;
  readonly i18n: I18nConfig;
  readonly assets: readonly AssetDir[];
  /** Tag names and `prefix-*` patterns rendered only in the browser. */
  readonly clientOnly: readonly string[];
  readonly staticSite: { readonly outputDir: string; readonly paths: readonly string[] };
  readonly pageCache: {
    readonly enabled: boolean;
    readonly maxEntries: number;
    readonly maxBytes: number;
    /** Whole seconds a page may be served past its TTL while it is refreshed. */
    readonly maxStale: number;
    /** Response header carrying each page's tags for a CDN; undefined: none. */
    readonly tagHeader: 'Cache-Tag' | 'Surrogate-Key' | undefined;
  };
  /** Whole seconds; each undefined when not set. */
  readonly cdn: { readonly sMaxAge: number | undefined; readonly cdnCacheControl: boolean; readonly staleIfError: number | undefined };
  readonly fragmentCache: {
    readonly enabled: boolean;
    readonly maxEntries: number;
    /** Bytes of fragment HTML and hook-result JSON. */
    readonly maxBytes: number;
  };
  readonly forms: {
    /** Origins ("https://host[:port]") besides the request's own host that may post. */
    readonly allowedOrigins: readonly string[];
    /** Bytes of an urlencoded or JSON body. */
    readonly bodyLimit: number;
    readonly maxFiles: number;
    /** Bytes of one uploaded file. */
    readonly maxFileSize: number;
  };
  readonly routes: readonly RouteConfig[];
  readonly errorRoutes: readonly ErrorRouteConfig[];
}

/**
 * The raw shape app-config.schema.json admits, before resolution (a route and an error route
 * share RawPage). test/config/config-shapes.test.ts ties the schema, these and AppConfig together.
 */
export interface RawPage {
  id: string;
  path?: string;
  status?: 404 | 500;
  contentTemplate?: string;
  rootComponent?: string;
  layoutTemplate?: string;
  properties?: Record<string, unknown>;
  cache?: { ttl?: number | string; tags?: string[] };
  bootstrap?: { ssr?: boolean };
  routeHandler?: string;
  method?: HandlerMethod[];
  views?: { contentTemplate?: string; rootComponent?: string; layoutTemplate?: string }[];
  ssrTimeout?: number | string;
}

export interface RawConfig {
  $schema?: string;
  basePath?: string;
  i18n?: { defaultLocale: string; locales: (string | { id: string })[]; uriPattern?: 'path-prefix'; alternateLinks?: boolean };
  assets?: { package?: string; dir: string; urlPath: string }[];
  clientOnly?: string[];
  staticSite?: { outputDir?: string; paths?: string[] };
  pageCache?: { enabled?: boolean; maxEntries?: number; maxBytes?: number; maxStale?: number | string; tagHeader?: 'Cache-Tag' | 'Surrogate-Key' };
  cdn?: { sMaxAge?: number | string; cdnCacheControl?: boolean; staleIfError?: number | string };
  fragmentCache?: { enabled?: boolean; maxEntries?: number; maxBytes?: number };
  forms?: { allowedOrigins?: string[]; bodyLimit?: number; maxFiles?: number; maxFileSize?: number };
  routes: RawPage[];
  errorRoutes?: RawPage[];
}
