/**
 * `npm run test:node22`: the whole vitest suite on Node 22, since Atoll supports Node 20.19+ and 22
 * and `npm test` runs on the machine's Node. Node 22 is first on PATH, so the processes the tests
 * start (servers, npm, the packed package's app) run on it too.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { node22 } from './helpers/node22.js';
import { REPO_ROOT } from './helpers/recipe.js';

const bin = node22();
const run = spawnSync(bin, [path.join(REPO_ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...process.argv.slice(2)], {
  cwd: REPO_ROOT,
  stdio: 'inherit',
  env: { ...process.env, PATH: `${path.dirname(bin)}:${process.env['PATH'] ?? ''}` },
});
if (run.error) throw run.error;
process.exitCode = run.status ?? 1;
