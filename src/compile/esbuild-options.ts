import { existsSync } from 'node:fs';
import path from 'node:path';
import { stop, type BuildFailure, type BuildOptions } from 'esbuild';
import { atollError, describeThrown, type AtollError } from '../errors.js';
import { ATOLL_ROOT } from '../package-root.js';
import { SERVER_EXTERNALS } from './one-lit.js';

/**
 * TypeScript settings for app components: the app's own tsconfig.json when it has one, else
 * Lit's documented decorator settings (experimentalDecorators, no define semantics for fields).
 */
export function typescriptOptions(appRoot: string): Pick<BuildOptions, 'tsconfig' | 'tsconfigRaw'> {
  const own = path.join(appRoot, 'tsconfig.json');
  if (existsSync(own)) return { tsconfig: own };
  return { tsconfigRaw: { compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false } } };
}

/** Where the server builds of app modules are written (content-hashed, so shared by every load). */
export const SERVER_OUT_DIR = path.join(ATOLL_ROOT, 'node_modules', '.cache', 'atoll', 'server');

/** What every server build of app modules shares: ESM for Node, the Lit family external, nothing written by esbuild. */
export function serverBuildOptions(appRoot: string) {
  return {
    absWorkingDir: appRoot,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir: SERVER_OUT_DIR,
    external: SERVER_EXTERNALS,
    nodePaths: [path.join(ATOLL_ROOT, 'node_modules')],
    write: false,
    logLevel: 'silent',
    ...typescriptOptions(appRoot),
  } as const satisfies BuildOptions;
}

/** A build of several app modules for Node that share chunks, with a metafile to find each entry's output. */
export function sharedChunksBuildOptions(appRoot: string, entryNames: string) {
  return {
    ...serverBuildOptions(appRoot),
    splitting: true,
    entryNames,
    chunkNames: 'chunk-[hash]',
    sourcemap: 'inline',
    sourcesContent: false,
    metafile: true,
  } as const satisfies BuildOptions;
}

/**
 * Ends esbuild's service process (about 19 MB of RSS) once a serving worker has compiled
 * everything it serves. A later build starts a new one.
 */
export function releaseCompiler(): Promise<void> {
  return stop();
}

/** esbuild's errors as one coded error, each with file:line:column. */
export function buildFailed(error: unknown): AtollError {
  const detail = (error as Partial<BuildFailure>).errors?.map((e) => `${e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ` : ''}${e.text}`).join('\n');
  return atollError('ATOLL_COMPONENT_BUILD_FAILED', [detail ?? describeThrown(error)], { cause: error });
}
