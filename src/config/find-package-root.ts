import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * The real folder of npm package `name` as Node would find it from `fromDir`: the first
 * `node_modules/<name>/package.json` from that folder upward. Read from disk rather than
 * through require.resolve, because a package's `exports` may hide its package.json and its asset folders.
 */
export function findPackageRoot(fromDir: string, name: string): string | undefined {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return realpathSync(candidate);
    if (path.dirname(dir) === dir) return undefined;
  }
}
