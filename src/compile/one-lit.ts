import type { Plugin } from 'esbuild';
import { ATOLL_ROOT } from '../package-root.js';

/**
 * The packages that must be one instance per page and per process: the server renderer, the
 * hydrate support and every component share their classes, their template cache and (in the
 * browser) `litHtmlVersions`, which logs "Multiple versions of Lit loaded" when a second copy
 * arrives. Every other package (@lit/context, @lit-labs/*, a design system) is the app's own.
 */
export const ONE_LIT = /^(lit|lit-html|lit-element|@lit\/reactive-element)(\/.*)?$/;

/**
 * For the server build: the Lit family stays external; the chunks live under Atoll's node_modules, so Node resolves it to Atoll's copy.
 * @lit/localize too: it keeps its one msg() implementation in module state, and Atoll installs
 * the server's (render/localize.ts) into its own copy, which a bundled copy would not see.
 */
export const SERVER_EXTERNALS = [
  'lit',
  'lit/*',
  'lit-html',
  'lit-html/*',
  'lit-element',
  'lit-element/*',
  '@lit/reactive-element',
  '@lit/reactive-element/*',
  '@lit/localize',
  '@lit/localize/*',
];

const kFromAtoll = Symbol('atoll.one-lit');

/**
 * For the browser build: an import of the Lit family from anywhere (the app, a design system
 * with its own nested copy) resolves to the copy Atoll's runtime and server use; everything
 * else resolves as esbuild does, from the importing file's folder upward (the app's node_modules first).
 */
export function oneLitPlugin(): Plugin {
  return {
    name: 'atoll-one-lit',
    setup(b) {
      b.onResolve({ filter: ONE_LIT }, (args) => {
        if (args.pluginData === kFromAtoll) return undefined;
        return b
          .resolve(args.path, { kind: args.kind, resolveDir: ATOLL_ROOT, importer: args.importer, pluginData: kFromAtoll })
          .then((result) => (result.errors.length > 0 ? { errors: result.errors } : { path: result.path, namespace: result.namespace, sideEffects: result.sideEffects }));
      });
    },
  };
}
