import { match, type MatchFunction } from 'path-to-regexp';
import type { RouteConfig } from '../config/app-config.js';

export type RouteParams = Readonly<Record<string, string | readonly string[]>>;

export interface RouteMatch {
  readonly route: RouteConfig;
  readonly params: RouteParams;
}

/** Routes compiled once at startup; matched in config order. */
export interface RouteTable {
  match(pathname: string): RouteMatch | undefined;
}

/**
 * Case-insensitive, tolerates one trailing slash (as LWR and Express do). `pathname` is the
 * request path after basePath, still percent-encoded, and must decode cleanly (the server
 * answers 400 before matching otherwise); params come out decoded.
 */
export function createRouteTable(routes: readonly RouteConfig[]): RouteTable {
  const compiled = routes.map((route) => ({
    route,
    matcher: match(route.path, { sensitive: false, trailing: true }) as MatchFunction<Record<string, string | string[]>>,
  }));
  return {
    match(pathname) {
      for (const { route, matcher } of compiled) {
        const result = matcher(pathname);
        if (result === false) continue;
        return { route, params: Object.assign(Object.create(null) as Record<string, string | string[]>, result.params) };
      }
      return undefined;
    },
  };
}
