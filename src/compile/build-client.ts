import path from 'node:path';
import { builtinModules } from 'node:module';
import { build, type Metafile, type Plugin } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { buildFailed, typescriptOptions } from './esbuild-options.js';
import { ATOLL_ROOT } from '../package-root.js';
import { CLIENT_PREFIX } from '../island-protocol.js';
import { oneLitPlugin } from './one-lit.js';

/** One browser module: its URL and every module it statically imports (for modulepreload). */
export interface ClientModule {
  readonly url: string;
  readonly imports: readonly string[];
}

export interface ClientBundle {
  /** URL path (under basePath) → file bytes; served with an immutable cache policy. */
  readonly files: ReadonlyMap<string, Uint8Array>;
  readonly runtime: ClientModule;
  readonly islands: ReadonlyMap<string, ClientModule>;
  /** When the app has translations: the module that configures @lit/localize, and each locale's templates. */
  readonly localize?: { readonly module: ClientModule; readonly locales: ReadonlyMap<string, ClientModule> };
}

/** The app's translations for the browser: locale → its `locales/` module. */
export interface ClientTranslations {
  readonly sourceLocale: string;
  readonly locales: readonly string[];
  readonly files: ReadonlyMap<string, string>;
}

const HERE = fileURLToPath(import.meta.url);
/** The browser runtime beside this module: src/client/runtime.ts under tsx, dist/client/runtime.js when installed. */
const RUNTIME = path.resolve(path.dirname(HERE), '..', 'client', `runtime${path.extname(HERE)}`);

/**
 * Compiles the browser code of the islands with esbuild: one entry per island tag plus the
 * runtime, split into shared chunks (Lit once). Each island entry only imports the component
 * module for its side effect (defining the element), so its getServerData and what only that
 * uses are tree-shaken out, Node built-ins included (see nodeStubs).
 */
export async function buildClient(
  appRoot: string,
  islands: ReadonlyMap<string, string>,
  basePath: string,
  mode: 'production' | 'development',
  translations?: ClientTranslations,
): Promise<ClientBundle> {
  const islandEntries: Plugin = {
    name: 'atoll-island-entries',
    setup(b) {
      b.onResolve({ filter: /^atoll-island:/ }, (args) => ({ path: args.path.slice('atoll-island:'.length), namespace: 'atoll-island' }));
      b.onLoad({ filter: /.*/, namespace: 'atoll-island' }, (args) => ({
        contents: `import ${JSON.stringify(islands.get(args.path))};`,
        resolveDir: appRoot,
        loader: 'js',
      }));
    },
  };
  // Node built-ins imported for getServerData become empty, side-effect-free stubs, so the
  // import disappears with the code that used it instead of breaking the browser module.
  const nodeStubs: Plugin = {
    name: 'atoll-node-stubs',
    setup(b) {
      const builtins = new RegExp(`^(node:.*|${builtinModules.map((m) => m.replace(/[/]/g, '\\/')).join('|')})$`);
      b.onResolve({ filter: builtins }, (args) => ({ path: args.path, namespace: 'atoll-node-stub', sideEffects: false }));
      b.onLoad({ filter: /.*/, namespace: 'atoll-node-stub' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
    },
  };
  const localize = translations === undefined ? [] : [{ in: LOCALIZE_ENTRY, out: 'atoll-localize' }];
  let result;
  try {
    result = await build({
      entryPoints: [{ in: RUNTIME, out: 'atoll-runtime' }, ...localize, ...[...islands.keys()].map((tag) => ({ in: `atoll-island:${tag}`, out: tag }))],
      absWorkingDir: appRoot,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2021',
      outdir: '/out',
      entryNames: '[name]-[hash]',
      chunkNames: 'chunk-[hash]',
      minify: mode === 'production',
      conditions: mode === 'development' ? ['development'] : [],
      define: { 'process.env.NODE_ENV': JSON.stringify(mode) },
      nodePaths: [path.join(ATOLL_ROOT, 'node_modules')],
      sourcemap: mode === 'development' ? 'inline' : false,
      legalComments: 'none',
      metafile: true,
      write: false,
      logLevel: 'silent',
      plugins: [oneLitPlugin(), islandEntries, nodeStubs, ...(translations === undefined ? [] : [localizeEntry(appRoot, translations)])],
      ...typescriptOptions(appRoot),
    });
  } catch (error) {
    throw buildFailed(error);
  }
  const urlOf = (outFile: string): string => `${basePath}${CLIENT_PREFIX}${path.basename(outFile)}`;
  const files = new Map(result.outputFiles.map((file) => [urlOf(file.path), file.contents]));
  const outputs = result.metafile.outputs;
  const moduleFor = (outFile: string): ClientModule => ({ url: urlOf(outFile), imports: staticImports(outputs, outFile).map(urlOf) });
  let runtime: ClientModule | undefined;
  let localizeModule: ClientModule | undefined;
  const islandModules = new Map<string, ClientModule>();
  const localeModules = new Map<string, ClientModule>();
  const localeOfFile = new Map([...(translations?.files ?? [])].map(([locale, file]) => [file, locale]));
  for (const [outFile, output] of Object.entries(outputs)) {
    // Modules reached by dynamic import() are entry points too; only ours are recorded.
    if (output.entryPoint === undefined) continue;
    if (output.entryPoint.startsWith('atoll-island:')) islandModules.set(output.entryPoint.slice('atoll-island:'.length), moduleFor(outFile));
    else if (output.entryPoint === LOCALIZE_ENTRY) localizeModule = moduleFor(outFile);
    else if (path.resolve(appRoot, output.entryPoint) === RUNTIME) runtime = moduleFor(outFile);
    else if (localeOfFile.has(path.resolve(appRoot, output.entryPoint))) localeModules.set(localeOfFile.get(path.resolve(appRoot, output.entryPoint))!, moduleFor(outFile));
  }
  return { files, runtime: runtime!, islands: islandModules, ...(localizeModule === undefined ? {} : { localize: { module: localizeModule, locales: localeModules } }) };
}

const LOCALIZE_ENTRY = 'atoll-localize:configure';

/**
 * The browser side of @lit/localize, configured by Atoll (apps never call configureLocalization):
 * runtime mode, the source locale is i18n.defaultLocale, and each locale's templates are a
 * chunk of their own, loaded by setLocale before any island hydrates. A locale without a
 * translation file renders the source strings.
 */
function localizeEntry(appRoot: string, translations: ClientTranslations): Plugin {
  const loaders = [...translations.files].map(([locale, file]) => `${JSON.stringify(locale)}: () => import(${JSON.stringify(file)})`).join(',\n  ');
  const targets = translations.locales.filter((l) => l !== translations.sourceLocale);
  const contents = `import { configureLocalization } from '@lit/localize';
const loaders = {
  ${loaders}
};
export const { setLocale } = configureLocalization({
  sourceLocale: ${JSON.stringify(translations.sourceLocale)},
  targetLocales: ${JSON.stringify(targets)},
  loadLocale: (locale) => (Object.hasOwn(loaders, locale) ? loaders[locale]() : Promise.resolve({ templates: {} })),
});
`;
  return {
    name: 'atoll-localize',
    setup(b) {
      b.onResolve({ filter: /^atoll-localize:configure$/ }, () => ({ path: 'configure', namespace: 'atoll-localize' }));
      b.onLoad({ filter: /.*/, namespace: 'atoll-localize' }, () => ({ contents, resolveDir: appRoot, loader: 'js' }));
    },
  };
}

/** Every chunk `outFile` reaches through static imports, depth-first, without repeats. */
function staticImports(outputs: Metafile['outputs'], outFile: string, seen = new Set<string>()): string[] {
  for (const { path: imported, kind, external } of outputs[outFile]?.imports ?? []) {
    if (kind !== 'import-statement' || external || seen.has(imported)) continue;
    seen.add(imported);
    staticImports(outputs, imported, seen);
  }
  return [...seen];
}
