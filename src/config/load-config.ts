import { readFileSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv } from 'ajv';
import { match } from 'path-to-regexp';
import { atollError, describeThrown } from '../errors.js';
import type { AppConfig, ErrorRouteConfig, HandlerRouteConfig, PageConfig, PageContent, RawConfig, RawPage, RouteConfig } from './app-config.js';
import { formatAjvErrors } from './format-ajv-errors.js';
import { parseDurationMs, parseTtl } from './parse-ttl.js';
import { deepFreeze } from './deep-freeze.js';
import { locateInJson } from './locate-in-json.js';
import { localePrefixProblems } from '../routing/locale-prefix.js';
import { findPackageRoot } from './find-package-root.js';

const schema = createRequire(import.meta.url)('./app-config.schema.json') as object;
const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true }).compile(schema);

/**
 * The only reader of app.config.json: parse, validate against the schema, check what a schema
 * cannot (unique ids, compilable paths, files inside the app, TTLs), resolve paths, freeze.
 * Throws one AtollError listing every problem at once.
 */
export function loadConfig(appRoot: string): AppConfig {
  const root = realpathOrSelf(path.resolve(appRoot));
  const configFile = path.join(root, 'app.config.json');
  const { text, raw } = readConfigJson(configFile);
  if (!validate(raw)) {
    throw atollError('ATOLL_CONFIG_INVALID', [configFile, withPositions(text, formatAjvErrors(validate.errors ?? []))]);
  }
  const config = raw as RawConfig;
  const problems: string[] = [];
  const inApp = (where: string, relative: string, kind: 'file' | 'dir', mustExist: boolean): string => {
    const absolute = path.resolve(root, relative);
    const rel = path.relative(root, realpathOrSelf(absolute));
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      problems.push(`${where}: "${relative}" is outside the app folder ${root}; use a path inside it`);
    } else if (mustExist && !isKind(absolute, kind)) {
      problems.push(`${where}: ${kind} "${relative}" does not exist in ${root}`);
    }
    return absolute;
  };

  // A package asset folder must stay inside the package's real folder, as an app folder stays inside the app.
  const inPackage = (where: string, name: string, relative: string): string => {
    const packageRoot = findPackageRoot(root, name);
    if (packageRoot === undefined) {
      problems.push(`${where}.package: "${name}" is not installed (no node_modules/${name}/package.json from ${root} upward); npm install it`);
      return path.join(root, 'node_modules', name, relative);
    }
    const absolute = path.resolve(packageRoot, relative);
    const rel = path.relative(packageRoot, realpathOrSelf(absolute));
    if (rel.startsWith('..') || path.isAbsolute(rel)) problems.push(`${where}.dir: "${relative}" is outside the package folder ${packageRoot}; use a folder inside it`);
    else if (!isKind(absolute, 'dir')) problems.push(`${where}.dir: folder "${relative}" does not exist in ${packageRoot}`);
    return absolute;
  };

  const ids = new Map<string, string>();
  const claimId = (id: string, where: string): void => {
    const previous = ids.get(id);
    if (previous !== undefined) problems.push(`${where}.id: "${id}" is already the id of ${previous}; ids must be unique`);
    ids.set(id, where);
  };
  const contentOf = (raw: { contentTemplate?: string; rootComponent?: string }, where: string): PageContent => {
    if ((raw.contentTemplate === undefined) === (raw.rootComponent === undefined)) {
      problems.push(`${where}: set exactly one of "contentTemplate" and "rootComponent"`);
      return { kind: 'component', tag: raw.rootComponent ?? '' };
    }
    if (raw.contentTemplate !== undefined) return { kind: 'template', file: inApp(`${where}.contentTemplate`, raw.contentTemplate, 'file', true) };
    return { kind: 'component', tag: raw.rootComponent! };
  };
  const layoutOf = (layoutTemplate: string | undefined, where: string): string | undefined =>
    layoutTemplate === undefined ? undefined : inApp(`${where}.layoutTemplate`, layoutTemplate, 'file', true);
  const ttlOf = (rawPage: RawPage, where: string): number | undefined => {
    if (rawPage.cache?.ttl === undefined) return undefined;
    const ttl = parseTtl(rawPage.cache.ttl);
    if (ttl === undefined) {
      problems.push(`${where}.cache.ttl: ${JSON.stringify(rawPage.cache.ttl)} is not a duration; use seconds (60) or a string with a unit ("60s", "10 minutes", "1h")`);
    }
    return ttl;
  };
  const ssrTimeoutOf = (rawPage: RawPage, where: string): number | undefined => {
    if (rawPage.ssrTimeout === undefined) return undefined;
    const ms = parseDurationMs(rawPage.ssrTimeout);
    if (ms === undefined || ms === 0) {
      problems.push(`${where}.ssrTimeout: ${JSON.stringify(rawPage.ssrTimeout)} is not a duration above zero; use milliseconds (2000) or a string with a unit ("2s", "800ms")`);
    }
    return ms;
  };
  const page = (rawPage: RawPage, where: string): PageConfig => {
    claimId(rawPage.id, where);
    const ssrTimeoutMs = ssrTimeoutOf(rawPage, where);
    return {
      id: rawPage.id,
      content: contentOf(rawPage, where),
      layoutFile: layoutOf(rawPage.layoutTemplate, where),
      properties: rawPage.properties ?? {},
      ttl: ttlOf(rawPage, where),
      tags: rawPage.cache?.tags ?? [],
      ssr: rawPage.bootstrap?.ssr ?? true,
      ssrTimeoutMs,
    };
  };
  // A handler route renders the views its handler returns: each a page with the route's id,
  // properties, TTL and tags, and the route's layout unless the view names its own.
  const handlerRoute = (rawRoute: RawPage & { routeHandler: string }, where: string): HandlerRouteConfig => {
    claimId(rawRoute.id, where);
    for (const key of ['contentTemplate', 'rootComponent'] as const) {
      if (rawRoute[key] !== undefined) problems.push(`${where}.${key}: a route with "routeHandler" renders the views its handler returns; list this one in "views"`);
    }
    const base = { id: rawRoute.id, properties: rawRoute.properties ?? {}, ttl: ttlOf(rawRoute, where), tags: rawRoute.cache?.tags ?? [] };
    const routeLayout = layoutOf(rawRoute.layoutTemplate, where);
    const ssrTimeoutMs = ssrTimeoutOf(rawRoute, where);
    const views = (rawRoute.views ?? []).map((view, j) => ({
      ...base,
      content: contentOf(view, `${where}.views[${j}]`),
      layoutFile: view.layoutTemplate === undefined ? routeLayout : layoutOf(view.layoutTemplate, `${where}.views[${j}]`),
      ssr: rawRoute.bootstrap?.ssr ?? true,
      ssrTimeoutMs,
    }));
    return {
      ...base,
      path: rawRoute.path!,
      handler: { file: inApp(`${where}.routeHandler`, rawRoute.routeHandler, 'file', true), methods: rawRoute.method ?? ['GET'], views },
    };
  };

  const routes: RouteConfig[] = config.routes.map((rawRoute, i) => {
    const where = `routes[${i}]`;
    const routePath = rawRoute.path!;
    try {
      match(routePath);
    } catch (error) {
      problems.push(`${where}.path: "${routePath}" is not a valid path-to-regexp pattern: ${describeThrown(error)}`);
    }
    if (rawRoute.routeHandler !== undefined) return handlerRoute({ ...rawRoute, routeHandler: rawRoute.routeHandler }, where);
    for (const key of ['method', 'views'] as const) {
      if (rawRoute[key] !== undefined) problems.push(`${where}.${key}: only a route with "routeHandler" takes "${key}"`);
    }
    return { ...page(rawRoute, where), path: routePath };
  });
  const statuses = new Set<number>();
  const errorRoutes: ErrorRouteConfig[] = (config.errorRoutes ?? []).map((rawRoute, i) => {
    const where = `errorRoutes[${i}]`;
    const status = rawRoute.status!;
    if (statuses.has(status)) problems.push(`${where}.status: another error route already answers ${status}`);
    statuses.add(status);
    return { ...page(rawRoute, where), ttl: undefined, ssr: true, ssrTimeoutMs: undefined, status };
  });

  const locales = (config.i18n?.locales ?? ['en-US']).map((l) => (typeof l === 'string' ? l : l.id));
  const defaultLocale = config.i18n?.defaultLocale ?? 'en-US';
  if (!locales.includes(defaultLocale)) {
    problems.push(`i18n.defaultLocale: "${defaultLocale}" is not in i18n.locales [${locales.join(', ')}]`);
  }
  if (config.i18n?.uriPattern === 'path-prefix') problems.push(...localePrefixProblems(locales));
  const assets = (config.assets ?? [{ dir: 'public', urlPath: '/public' }]).map((asset, i) => ({
    dir: asset.package === undefined ? inApp(`assets[${i}].dir`, asset.dir, 'dir', config.assets !== undefined) : inPackage(`assets[${i}]`, asset.package, asset.dir),
    urlPath: asset.urlPath,
  }));
  // Static files are public: an asset folder may not hold the config, templates or component sources.
  assets.forEach((asset, i) => {
    const inside = (file: string): boolean => {
      const rel = path.relative(asset.dir, file);
      return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
    };
    const exposed = [
      configFile,
      path.join(root, 'components'),
      ...routes.flatMap((r) => (r.handler === undefined ? [] : [r.handler.file])),
      ...[...routes.flatMap((r): readonly PageConfig[] => (r.handler === undefined ? [r] : r.handler.views)), ...errorRoutes].flatMap((p) => [
        p.content.kind === 'template' ? p.content.file : undefined,
        p.layoutFile,
      ]),
    ]
      .filter((file): file is string => file !== undefined)
      .find(inside);
    if (exposed !== undefined)
      problems.push(`assets[${i}].dir: "${path.relative(root, asset.dir) || '.'}" would serve ${path.relative(root, exposed)}; give static files a folder of their own`);
  });
  const outputDir = inApp('staticSite.outputDir', config.staticSite?.outputDir ?? 'site', 'dir', false);
  if (outputDir === root) problems.push('staticSite.outputDir: must be a folder inside the app, not the app folder itself');

  const maxStale = parseTtl(config.pageCache?.maxStale ?? 60);
  if (maxStale === undefined)
    problems.push(`pageCache.maxStale: ${JSON.stringify(config.pageCache?.maxStale)} is not a duration; use seconds (60) or a string with a unit ("1 minute")`);

  const cdnDuration = (key: 'sMaxAge' | 'staleIfError'): number | undefined => {
    const raw = config.cdn?.[key];
    if (raw === undefined) return undefined;
    const seconds = parseTtl(raw);
    if (seconds === undefined) problems.push(`cdn.${key}: ${JSON.stringify(raw)} is not a duration; use seconds (600) or a string with a unit ("10 minutes")`);
    return seconds;
  };
  const cdn = { sMaxAge: cdnDuration('sMaxAge'), cdnCacheControl: config.cdn?.cdnCacheControl ?? false, staleIfError: cdnDuration('staleIfError') };

  if (problems.length > 0) throw atollError('ATOLL_CONFIG_INVALID', [configFile, withPositions(text, problems)]);
  return deepFreeze({
    root,
    configFile,
    basePath: config.basePath ?? '',
    i18n: { defaultLocale, locales, uriPattern: config.i18n?.uriPattern, alternateLinks: config.i18n?.alternateLinks ?? true },
    assets,
    clientOnly: config.clientOnly ?? [],
    staticSite: { outputDir, paths: config.staticSite?.paths ?? [] },
    pageCache: {
      enabled: config.pageCache?.enabled ?? true,
      maxEntries: config.pageCache?.maxEntries ?? 1000,
      maxBytes: config.pageCache?.maxBytes ?? 64 * 1024 * 1024,
      maxStale: maxStale ?? 0,
      tagHeader: config.pageCache?.tagHeader,
    },
    cdn,
    fragmentCache: {
      enabled: config.fragmentCache?.enabled ?? true,
      maxEntries: config.fragmentCache?.maxEntries ?? 5000,
      maxBytes: config.fragmentCache?.maxBytes ?? 32 * 1024 * 1024,
    },
    forms: {
      allowedOrigins: config.forms?.allowedOrigins ?? [],
      bodyLimit: config.forms?.bodyLimit ?? 64 * 1024,
      maxFiles: config.forms?.maxFiles ?? 4,
      maxFileSize: config.forms?.maxFileSize ?? 1024 * 1024,
    },
    routes,
    errorRoutes,
  });
}

/** Adds where each problem is in the file: `routes[0].path: …` gains ` (line 4, column 7)`. */
function withPositions(text: string, problems: readonly string[]): string[] {
  return problems.map((problem) => {
    const jsonPath = /^([A-Za-z$][^:\s]*):/.exec(problem)?.[1];
    const at = jsonPath === undefined ? undefined : locateInJson(text, jsonPath);
    return at === undefined ? problem : `${problem} (line ${at.line}, column ${at.column})`;
  });
}

function readConfigJson(configFile: string): { text: string; raw: unknown } {
  let text: string;
  try {
    text = readFileSync(configFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw atollError('ATOLL_CONFIG_NOT_FOUND', [configFile]);
    throw error;
  }
  try {
    return { text, raw: JSON.parse(text) as unknown };
  } catch (error) {
    const detail = describeThrown(error);
    const position = Number(/at position (\d+)/.exec(detail)?.[1] ?? text.length);
    const before = text.slice(0, position).split('\n');
    throw atollError('ATOLL_CONFIG_JSON', [configFile, before.length, before.at(-1)!.length + 1, detail], { cause: error });
  }
}

function realpathOrSelf(file: string): string {
  try {
    return realpathSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return file;
    throw error;
  }
}

function isKind(file: string, kind: 'file' | 'dir'): boolean {
  try {
    const stat = statSync(file);
    return kind === 'file' ? stat.isFile() : stat.isDirectory();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
