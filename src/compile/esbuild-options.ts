import { existsSync } from 'node:fs';
import path from 'node:path';
import { stop, type BuildFailure, type BuildOptions } from 'esbuild';
import { atollError, describeThrown, type AtollError } from '../errors.js';

/**
 * TypeScript settings for app components: the app's own tsconfig.json when it has one, else
 * Lit's documented decorator settings (experimentalDecorators, no define semantics for fields).
 */
export function typescriptOptions(appRoot: string): Pick<BuildOptions, 'tsconfig' | 'tsconfigRaw'> {
  const own = path.join(appRoot, 'tsconfig.json');
  if (existsSync(own)) return { tsconfig: own };
  return { tsconfigRaw: { compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false } } };
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
  const detail = (error as Partial<BuildFailure>).errors
    ?.map((e) => `${e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ` : ''}${e.text}`)
    .join('\n');
  return atollError('ATOLL_COMPONENT_BUILD_FAILED', [detail ?? describeThrown(error)], { cause: error });
}
