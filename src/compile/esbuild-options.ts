import { existsSync } from 'node:fs';
import path from 'node:path';
import type { BuildOptions } from 'esbuild';

/**
 * Lit must be one instance per process (the server renderer and the components share its
 * classes and the customElements registry), so the Lit family stays external on the server
 * and is resolved from Atoll's own node_modules.
 */
export const LIT_PACKAGES = ['lit', 'lit/*', 'lit-html', 'lit-html/*', 'lit-element', 'lit-element/*', '@lit/*', '@lit-labs/*'];

/**
 * TypeScript settings for app components: the app's own tsconfig.json when it has one, else
 * Lit's documented decorator settings (experimentalDecorators, no define semantics for fields).
 */
export function typescriptOptions(appRoot: string): Pick<BuildOptions, 'tsconfig' | 'tsconfigRaw'> {
  const own = path.join(appRoot, 'tsconfig.json');
  if (existsSync(own)) return { tsconfig: own };
  return { tsconfigRaw: { compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false } } };
}
