import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { REPO_ROOT } from '../helpers/recipe.js';
import { startApp } from '../helpers/write-app.js';

const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** `atoll new …` run to its exit from `cwd`, by the compiled CLI (the package's bin; test/global-setup.ts builds it). */
function atollNew(args: string[], cwd: string) {
  return spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'new', ...args], { cwd, encoding: 'utf8' });
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

test('atoll new writes the starter app with a package.json that depends on this atoll, and the app serves its server data', async () => {
  const parent = mkdtempSync(path.join(tmpdir(), 'atoll-new-'));
  const run = atollNew(['My App'], parent);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const dir = path.join(parent, 'My App');
  expect(run.stdout).toBe(`Created an Atoll app in ${dir} (11 files). Next:\n  cd 'My App'\n  npm install\n  npx atoll dev\n`);
  expect(listFiles(dir)).toEqual([
    '.gitignore',
    'README.md',
    'app.config.json',
    'components/hello-greeting.ts',
    'components/like-counter.ts',
    'package.json',
    'public/site.css',
    'templates/home.html',
    'templates/layout.html',
    'test/home.test.mjs',
    'tsconfig.json',
  ]);
  expect(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'))).toEqual({
    name: 'my-app',
    version: '0.1.0',
    private: true,
    type: 'module',
    scripts: { dev: 'atoll dev', start: 'atoll serve', check: 'atoll check', generate: 'atoll generate', typecheck: 'tsc --noEmit', test: 'node --test test/home.test.mjs' },
    dependencies: { atoll: `^${manifest.version}`, lit: manifest.dependencies['lit'] },
    devDependencies: { typescript: manifest.devDependencies['typescript'] },
  });
  expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe('node_modules/\nsite/\n');

  // The starter through the real pipeline: `import type … from 'atoll'` is erased by esbuild.
  const { server } = await startApp(dir);
  try {
    const page = await server.inject('/?name=%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<title>Hello, &lt;script&gt;alert(1)&lt;/script&gt;</title>');
    expect(page.body).toContain('<h1><!--lit-part-->Hello, &lt;script&gt;alert(1)&lt;/script&gt;!<!--/lit-part--></h1>');
    expect(page.body).not.toContain('<script>alert(1)');
    expect(page.body).toContain('<like-counter     hydrate data-atoll-island="1" defer-hydration>');
    expect(page.body).toContain('<script type="application/json" data-atoll-props="1">{"likes":41}</script>');
    expect((await server.inject('/')).body).toContain('<h1><!--lit-part-->Hello, world!<!--/lit-part--></h1>');
  } finally {
    await server.close();
  }
});

test('atoll new refuses a folder that holds anything, and a file, with ATOLL_NEW_TARGET_NOT_EMPTY, writing nothing', () => {
  const parent = mkdtempSync(path.join(tmpdir(), 'atoll-new-'));
  mkdirSync(path.join(parent, 'taken'));
  writeFileSync(path.join(parent, 'taken', 'notes.txt'), 'mine');
  const run = atollNew(['taken'], parent);
  expect(run.status).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toBe(
    `ATOLL_NEW_TARGET_NOT_EMPTY: ${path.join(parent, 'taken')} already holds notes.txt; nothing was written.\nHint: Give atoll new a folder that does not exist yet or is empty; it never overwrites files.\n`,
  );
  expect(listFiles(path.join(parent, 'taken'))).toEqual(['notes.txt']);
  expect(readFileSync(path.join(parent, 'taken', 'notes.txt'), 'utf8')).toBe('mine');

  writeFileSync(path.join(parent, 'a-file'), '');
  const file = atollNew(['a-file'], parent);
  expect(file.status).toBe(1);
  expect(file.stderr).toBe(
    `ATOLL_NEW_TARGET_NOT_EMPTY: ${path.join(parent, 'a-file')} exists and is not a folder.\nHint: Give atoll new a folder that does not exist yet or is empty; it never overwrites files.\n`,
  );

  // An empty folder is fine (a freshly cloned empty repository, say), the current one included.
  mkdirSync(path.join(parent, 'empty'));
  const empty = atollNew(['.'], path.join(parent, 'empty'));
  expect(empty.status).toBe(0);
  expect(empty.stdout).toBe(`Created an Atoll app in ${path.join(parent, 'empty')} (11 files). Next:\n  npm install\n  npx atoll dev\n`);
  expect(JSON.parse(readFileSync(path.join(parent, 'empty', 'package.json'), 'utf8'))).toMatchObject({ name: 'empty' });
});

test('atoll new without a folder, or with two, exits 1 with ATOLL_NEW_TARGET_MISSING', () => {
  const parent = mkdtempSync(path.join(tmpdir(), 'atoll-new-'));
  const none = atollNew([], parent);
  expect(none.status).toBe(1);
  expect(none.stderr).toBe(
    'ATOLL_NEW_TARGET_MISSING: atoll new takes exactly one folder, got none.\nHint: Run atoll new my-app: it creates the folder my-app (relative to the current one) and writes the starter app into it.\n',
  );
  const two = atollNew(['a', 'b'], parent);
  expect(two.status).toBe(1);
  expect(two.stderr).toMatch(/^ATOLL_NEW_TARGET_MISSING: atoll new takes exactly one folder, got \["a","b"\]\.\n/);
  expect(readdirSync(parent)).toEqual([]);
});
