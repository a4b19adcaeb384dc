import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { atollError, describeThrown } from '../errors.js';
import type { GetServerData, GetStaticPaths } from '../data/types.js';
import type { FormAction } from '../input/types.js';
import { buildFailed, sharedChunksBuildOptions } from './esbuild-options.js';
import { writeContentAddressed } from './write-content-addressed.js';

export interface ServerComponent {
  readonly tag: string;
  readonly file: string;
  /** The compiled module's file name: esbuild's content hash of its code and its imports. */
  readonly moduleName: string;
  readonly getServerData: GetServerData | undefined;
  readonly getStaticPaths: GetStaticPaths | undefined;
  /** Form actions by name (a null-prototype object), or undefined when the module exports none. */
  readonly actions: Readonly<Record<string, FormAction>> | undefined;
  /**
   * The module exports `renderEveryRequest = true`: a root of it without getServerData is
   * rendered on every request instead of once per build and locale (cache/static-roots.ts).
   */
  readonly renderEveryRequest: boolean;
  /**
   * Set when importing the module on the server threw for want of a browser global (`window is
   * not defined`, as Lion 0.21 does): the element is not defined on the server, pages send it
   * unrendered, and the browser renders it where it is an island. The text is the cause.
   */
  readonly browserOnly?: string;
}

export type ComponentRegistry = ReadonlyMap<string, ServerComponent>;

const kModuleUrl = Symbol.for('atoll.moduleUrl');

/**
 * Compiles the app's components for Node with esbuild, imports them (which defines every
 * element before the first render, as Lit SSR requires) and reads their data hooks.
 * Output files are content-hashed, so loading the same app twice in one process reuses the
 * same module instances instead of defining the elements again.
 */
export async function loadServerComponents(appRoot: string, modules: ReadonlyMap<string, string>): Promise<ComponentRegistry> {
  if (modules.size === 0) return new Map();
  let outputFiles;
  let metafile;
  try {
    ({ outputFiles, metafile } = await build({
      ...sharedChunksBuildOptions(appRoot, '[name]-[hash]'),
      entryPoints: Object.fromEntries(modules),
    }));
  } catch (error) {
    throw buildFailed(error);
  }
  writeContentAddressed(outputFiles);

  const entryUrls = new Map<string, string>();
  for (const [outFile, output] of Object.entries(metafile.outputs)) {
    if (output.entryPoint === undefined) continue;
    const tag = [...modules].find(([, file]) => path.resolve(appRoot, output.entryPoint!) === file)?.[0];
    if (tag !== undefined) entryUrls.set(tag, pathToFileURL(path.resolve(appRoot, outFile)).href);
  }

  for (const [tag, url] of entryUrls) {
    const existing = customElements.get(tag) as (CustomElementConstructor & { [kModuleUrl]?: string }) | undefined;
    if (existing !== undefined && existing[kModuleUrl] !== url) {
      throw atollError('ATOLL_COMPONENT_ALREADY_DEFINED', [tag, modules.get(tag)!]);
    }
  }
  const loaded = new Map<string, Record<string, unknown>>();
  const registry = new Map<string, ServerComponent>();
  for (const [tag, url] of entryUrls) {
    try {
      loaded.set(tag, (await import(url)) as Record<string, unknown>);
    } catch (error) {
      if (!needsBrowser(error)) throw atollError('ATOLL_COMPONENT_INVALID', [modules.get(tag)!, tag, `importing it threw: ${describeThrown(error)}`], { cause: error });
      const moduleName = path.basename(new URL(url).pathname);
      registry.set(tag, {
        tag,
        file: modules.get(tag)!,
        moduleName,
        getServerData: undefined,
        getStaticPaths: undefined,
        actions: undefined,
        renderEveryRequest: false,
        browserOnly: describeThrown(error),
      });
    }
  }

  for (const [tag, module] of loaded) {
    const file = modules.get(tag)!;
    const ctor = customElements.get(tag) as (CustomElementConstructor & { [kModuleUrl]?: string }) | undefined;
    if (ctor === undefined) throw atollError('ATOLL_COMPONENT_INVALID', [file, tag, `it does not define <${tag}>`]);
    ctor[kModuleUrl] = entryUrls.get(tag)!;
    for (const name of ['getServerData', 'getStaticPaths'] as const) {
      if (module[name] !== undefined && typeof module[name] !== 'function') {
        throw atollError('ATOLL_COMPONENT_INVALID', [file, tag, `its export ${name} is a ${typeof module[name]}, not a function`]);
      }
    }
    const renderEveryRequest = module['renderEveryRequest'];
    if (renderEveryRequest !== undefined && typeof renderEveryRequest !== 'boolean') {
      throw atollError('ATOLL_COMPONENT_INVALID', [file, tag, `its export renderEveryRequest is a ${typeof renderEveryRequest}, not true or false`]);
    }
    registry.set(tag, {
      actions: readActions(file, tag, module['actions']),
      tag,
      file,
      moduleName: path.basename(new URL(entryUrls.get(tag)!).pathname),
      getServerData: module['getServerData'] as GetServerData | undefined,
      getStaticPaths: module['getStaticPaths'] as GetStaticPaths | undefined,
      renderEveryRequest: renderEveryRequest === true,
    });
  }
  return registry;
}

/**
 * The browser globals whose absence at import marks a module as browser-only. Anything else a
 * module throws at import (a bug, a missing package) stays a startup error.
 */
const BROWSER_GLOBAL =
  /^(window|document|navigator|location|self|localStorage|sessionStorage|getComputedStyle|requestAnimationFrame|matchMedia|Node|Element|HTMLElement|HTMLInputElement|HTMLFormElement|Document|DocumentFragment|ShadowRoot|MutationObserver|CSSStyleSheet|DOMParser) is not defined$/;

function needsBrowser(error: unknown): boolean {
  return error instanceof ReferenceError && BROWSER_GLOBAL.test(error.message);
}

function readActions(file: string, tag: string, value: unknown): Readonly<Record<string, FormAction>> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw atollError('ATOLL_COMPONENT_INVALID', [file, tag, `its export actions is a ${Array.isArray(value) ? 'array' : typeof value}, not an object of functions`]);
  }
  const actions = Object.create(null) as Record<string, FormAction>;
  for (const [name, action] of Object.entries(value)) {
    if (typeof action !== 'function') throw atollError('ATOLL_COMPONENT_INVALID', [file, tag, `its action "${name}" is a ${typeof action}, not a function`]);
    if (!ACTION_NAME.test(name))
      throw atollError('ATOLL_COMPONENT_INVALID', [file, tag, `its action name "${name}" is not a name (letters, digits, _ and -, starting with a letter)`]);
    actions[name] = action as FormAction;
  }
  return Object.freeze(actions);
}

/** What `?/name` may hold: also keeps names like `__proto__` out of the catalog. */
const ACTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
