import '@lit-labs/ssr';
import type { AppConfig } from './config/app-config.js';
import { loadConfig } from './config/load-config.js';
import { findComponents } from './compile/find-components.js';
import { loadServerComponents, type ComponentRegistry } from './compile/load-server-components.js';
import { compilePages, type CompiledPages } from './templates/compile-pages.js';
import { createRouteTable, type RouteTable } from './routing/route-table.js';
import { createCrossRequestCache, DEFAULT_CACHE_LIMITS, type VersionedCache } from './data/cross-request-cache.js';
import { buildClient, type ClientBundle } from './compile/build-client.js';
import { clientMarkup, type ClientMarkup } from './serialize/client-markup.js';
import type { PagePlan } from './templates/compile-pages.js';
import { PageCache } from './cache/page-cache.js';
import { bodyRenderers, type BodyRenderers } from './render/render-body.js';
import { installServerLightDom } from './render/server-light-dom.js';
import { FallbackWarnings } from './render/fallback-warnings.js';
import { routeActions, type RouteActions } from './input/route-actions.js';
import type { SharedTier } from './cache/shared-tier.js';
import type { SharedPages } from './cache/serve-shared.js';
import { findTranslations, loadTranslations } from './compile/load-translations.js';
import type { Translations } from './render/localize.js';
import { loadRouteHandlers, type RouteHandlers } from './compile/load-route-handlers.js';
import { FragmentCache, type FragmentTier } from './cache/fragment-cache.js';
import { StaticRoots } from './cache/static-roots.js';
import { PageBuffers } from './render/page-buffers.js';
import { DeadlineTimers } from './data/deadline-timers.js';
import type { PurgeSelector } from './cache/purge-markers.js';

export type Mode = 'production' | 'development';

export interface AppOptions {
  /** development shows error details in pages; production never does. */
  readonly mode: Mode;
  /** Bound on data plus render per page, in ms (SSR_TIMEOUT). */
  readonly ssrTimeoutMs: number;
  /** Turns the page cache off whatever the config says (the generate command renders each URL once). */
  readonly withoutPageCache?: boolean;
  /** Turns the fragment cache off whatever the config says. */
  readonly withoutFragmentCache?: boolean;
  /** The page cache's clock, in ms (tests pass their own). Default Date.now. */
  readonly now?: () => number;
  /**
   * Uncached pages whose previous render of the route was at least this many characters are
   * streamed as they render. Default STREAM_MIN_CHARS; Infinity turns streaming off (generate).
   */
  readonly streamMinChars?: number;
  /** Signs cookies that actions set and verifies those data hooks read. Default: the COOKIE_SECRET environment variable. */
  readonly cookieSecret?: string;
  /** Wait for deferred roots and render them in place, so every page is complete at once (generate, check). */
  readonly deferInline?: boolean;
}

/** Measured in BENCHMARKS.md: below this, one buffered write beats streaming. */
export const STREAM_MIN_CHARS = 128 * 1024;

/** An app ready to serve: everything a request needs, prepared once and never mutated. */
export interface App {
  readonly config: AppConfig;
  readonly options: AppOptions & { readonly streamMinChars: number; readonly cookieSecret: string | undefined };
  readonly routeTable: RouteTable;
  readonly pages: CompiledPages;
  readonly components: ComponentRegistry;
  /** Browser code of the islands; undefined when no page has an island. */
  readonly client: ClientBundle | undefined;
  /** Per page and locale: the modulepreload links and boot script, fixed at startup. */
  readonly clientMarkup: ReadonlyMap<PagePlan, ReadonlyMap<string, ClientMarkup>>;
  /** The app's locales/ modules (@lit/localize runtime mode); undefined when it has none. */
  readonly translations: Translations | undefined;
  /** State shared between requests, both bounded: the data hooks' cache and the page cache. */
  readonly crossRequestCache: VersionedCache;
  /** undefined when pageCache.enabled is false. */
  readonly pageCache: PageCache | undefined;
  /** Per-root results and HTML; undefined when fragmentCache.enabled is false. */
  readonly fragmentCache: FragmentCache | undefined;
  /**
   * The HTML of roots without a data hook, once per build and locale: with the fragment cache,
   * and in development (where the fragment cache is off) so that a root frozen by it shows
   * frozen there too, before production; a change reloads the app and starts it empty.
   */
  readonly staticRoots: StaticRoots | undefined;
  /** Characters of each route's last page: decides streaming (bounded by the number of routes). */
  readonly renderSizes: Map<string, number>;
  /** Memory for the bytes of pages nobody keeps, reused once each was sent (bounded, see render/page-buffers.ts). */
  readonly pageBuffers: PageBuffers;
  /** The timers of page deadlines: one per deadline length, not one per page (data/deadline-timers.ts). */
  readonly deadlineTimers: DeadlineTimers;
  /** Lit element renderers (clientOnly tags, client-only and guarded server rendering), fixed at startup. */
  readonly bodyRenderers: BodyRenderers;
  /** Elements that fell back to the browser, warned once per tag and route (bounded). */
  readonly fallbackWarnings: FallbackWarnings;
  /** Form actions by route id, then name (checked unique at startup). */
  readonly actions: RouteActions;
  /** Route handlers by route id (routes with routeHandler), checked at startup. */
  readonly handlers: RouteHandlers;
  /** The tier shared by every instance (REDIS_URL); undefined without one. See cache/attach-shared-tier.ts. */
  readonly shared?: {
    readonly tier: SharedTier;
    readonly pages: SharedPages | undefined;
    readonly fragments: FragmentTier | undefined;
    /** Marks a purge in the shared tier and sends it to every other instance. */
    readonly purge: (selector: PurgeSelector) => void;
  };
}

/** Startup: config → components → templates → routes. Throws one coded error per failing stage. */
export async function loadApp(root: string, options: AppOptions): Promise<App> {
  const config = loadConfig(root);
  const translationFiles = findTranslations(config.root, config.i18n);
  const translations = await loadTranslations(config.root, translationFiles);
  installServerLightDom();
  const components = await loadServerComponents(config.root, findComponents(config.root));
  const pages = compilePages(config, new Set(components.keys()));
  const handlers = await loadRouteHandlers(config.root, config.routes);
  const plans = [...pages.routes.values(), ...pages.errorPages.values(), ...[...pages.views.values()].flat()];
  const islandTags = new Map<string, string>();
  for (const plan of plans) {
    for (const root of plan.body.roots) if (root.hydrate !== undefined) islandTags.set(root.tag, components.get(root.tag)!.file);
  }
  const { defaultLocale: sourceLocale, locales } = config.i18n;
  const clientTranslations = translations === undefined ? undefined : { sourceLocale, locales, files: translationFiles };
  const client = islandTags.size === 0 ? undefined : await buildClient(config.root, islandTags, config.basePath, options.mode, clientTranslations);
  const dev = options.mode === 'development';
  const now = options.now ?? Date.now;
  const pageCache = config.pageCache.enabled && options.withoutPageCache !== true ? new PageCache(config.pageCache, now) : undefined;
  const fragmentCache =
    config.fragmentCache.enabled && options.withoutFragmentCache !== true ? new FragmentCache({ ...config.fragmentCache, maxStale: config.pageCache.maxStale }, now) : undefined;
  return Object.freeze({
    config,
    options: Object.freeze({
      ...options,
      streamMinChars: options.streamMinChars ?? STREAM_MIN_CHARS,
      cookieSecret: options.cookieSecret ?? (process.env['COOKIE_SECRET'] || undefined),
    }),
    routeTable: createRouteTable(config.routes),
    pages,
    components,
    client,
    clientMarkup: new Map(plans.map((plan) => [plan, new Map(locales.map((locale) => [locale, clientMarkup(plan.body.roots, client, dev, locale)]))])),
    translations,
    // A set or delete of a key drops the fragments and pages whose hooks read it.
    crossRequestCache: createCrossRequestCache(DEFAULT_CACHE_LIMITS, (key) => {
      pageCache?.invalidate(key);
      fragmentCache?.invalidate(key);
    }),
    pageCache,
    fragmentCache,
    staticRoots: fragmentCache !== undefined || dev ? new StaticRoots() : undefined,
    renderSizes: new Map(),
    pageBuffers: new PageBuffers(),
    deadlineTimers: new DeadlineTimers(),
    bodyRenderers: bodyRenderers(config.clientOnly, new Set([...components.values()].filter((c) => c.renderEveryRequest).map((c) => c.tag))),
    fallbackWarnings: new FallbackWarnings(),
    actions: routeActions(pages.routes, components),
    handlers,
  });
}
