import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { HandlerMethod, RouteConfig } from '../config/app-config.js';
import { atollError, describeThrown } from '../errors.js';
import type { RouteHandler } from '../handlers/types.js';
import { buildFailed, sharedChunksBuildOptions } from './esbuild-options.js';
import { writeContentAddressed } from './write-content-addressed.js';

export interface LoadedRouteHandler {
  readonly routeId: string;
  /** The module as written in app.config.json, relative to the app (for messages). */
  readonly file: string;
  /** The compiled module's file name: esbuild's content hash of its code and its imports. */
  readonly moduleName: string;
  /** Method → function: the module's export of that name, else its default export. HEAD uses GET's. */
  readonly functions: ReadonlyMap<HandlerMethod, RouteHandler>;
  /** The value of `Allow`: the route's methods, with HEAD after GET. */
  readonly allow: string;
}

/** Route id → its handler; routes without routeHandler are absent. */
export type RouteHandlers = ReadonlyMap<string, LoadedRouteHandler>;

const METHODS: readonly HandlerMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * Compiles every routeHandler module for Node with esbuild, as components are (one build, Lit
 * external, content-hashed output, so loading an app twice reuses the module instances), imports
 * them and checks that each route's methods have a function. Any problem is a startup error
 * naming the route and the file.
 */
export async function loadRouteHandlers(appRoot: string, routes: readonly RouteConfig[]): Promise<RouteHandlers> {
  const files = [...new Set(routes.flatMap((route) => (route.handler === undefined ? [] : [route.handler.file])))];
  if (files.length === 0) return new Map();
  let result;
  try {
    result = await build({
      ...sharedChunksBuildOptions(appRoot, 'handler-[name]-[hash]'),
      entryPoints: files,
    });
  } catch (error) {
    throw buildFailed(error);
  }
  writeContentAddressed(result.outputFiles);
  const outputs = new Map<string, string>();
  for (const [outFile, output] of Object.entries(result.metafile.outputs)) {
    if (output.entryPoint !== undefined) outputs.set(path.resolve(appRoot, output.entryPoint), path.resolve(appRoot, outFile));
  }

  const modules = new Map<string, { readonly exports: Record<string, unknown> } | { readonly thrown: unknown }>();
  for (const file of files) {
    try {
      modules.set(file, { exports: (await import(pathToFileURL(outputs.get(file)!).href)) as Record<string, unknown> });
    } catch (error) {
      modules.set(file, { thrown: error });
    }
  }

  const handlers = new Map<string, LoadedRouteHandler>();
  for (const route of routes) {
    if (route.handler === undefined) continue;
    const file = path.relative(appRoot, route.handler.file);
    const module = modules.get(route.handler.file)!;
    if ('thrown' in module) {
      throw atollError('ATOLL_HANDLER_INVALID', [route.id, file, `importing it threw: ${describeThrown(module.thrown)}`], { cause: module.thrown, routeId: route.id });
    }
    const { exports } = module;
    for (const name of [...METHODS, 'default']) {
      if (exports[name] !== undefined && typeof exports[name] !== 'function') {
        throw atollError('ATOLL_HANDLER_INVALID', [route.id, file, `its export ${name} is a ${typeof exports[name]}, not a function`], { routeId: route.id });
      }
    }
    const functions = new Map<HandlerMethod, RouteHandler>();
    for (const method of route.handler.methods) {
      const fn = (exports[method] ?? exports['default']) as RouteHandler | undefined;
      if (fn === undefined) {
        throw atollError('ATOLL_HANDLER_INVALID', [route.id, file, `the route takes ${method} but the module exports neither ${method} nor a default function`], {
          routeId: route.id,
        });
      }
      functions.set(method, fn);
    }
    const methods = route.handler.methods;
    const allow = METHODS.filter((m) => methods.includes(m)).flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m]));
    handlers.set(route.id, { routeId: route.id, file, moduleName: path.basename(outputs.get(route.handler.file)!), functions, allow: allow.join(', ') });
  }
  return handlers;
}
