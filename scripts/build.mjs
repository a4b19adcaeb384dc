/**
 * The first half of `npm start`, `npm run dev|check|generate|purge` and `npm run build`: compiles src/ to dist/, one .js file per
 * .ts file in the same folders (so paths relative to a module stay true), with source maps.
 * The production server then runs plain JavaScript: no tsx loader, and none of the `__name`
 * helpers tsx wraps around every named closure, which cost 1% of an uncached page's CPU.
 *
 * Only files whose bytes changed are written, each through a temporary file and a rename: a
 * server already running from dist/ never imports a half-written module.
 */
import { build } from 'esbuild';
import { readFileSync, readdirSync, renameSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist');

const result = await build({
  absWorkingDir: root,
  entryPoints: ['src/**/*.ts', 'src/**/*.json'],
  outdir: 'dist',
  outbase: 'src',
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  sourcemap: true,
  loader: { '.json': 'copy' },
  write: false,
  logLevel: 'warning',
});

const wanted = new Set();
for (const file of result.outputFiles) {
  wanted.add(file.path);
  let same = false;
  try {
    same = Buffer.compare(readFileSync(file.path), file.contents) === 0;
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
  if (same) continue;
  mkdirSync(path.dirname(file.path), { recursive: true });
  const temporary = `${file.path}.${process.pid}.tmp`;
  writeFileSync(temporary, file.contents);
  renameSync(temporary, file.path);
}
// Outputs of source files that no longer exist. A concurrent build's temporary files stay, and so
// do the .d.ts files `npm run build` adds with tsc (tsconfig.build.json): `npm start` running while
// `npm pack` builds must not delete them before they are packed.
for (const entry of readdirSync(outdir, { recursive: true, withFileTypes: true })) {
  const file = path.join(entry.parentPath ?? entry.path, entry.name);
  if (entry.isFile() && !wanted.has(file) && !file.endsWith('.tmp') && !file.endsWith('.d.ts')) rmSync(file);
}
