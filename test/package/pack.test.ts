/**
 * Atoll as a team installs it (#17), end to end: `npm pack` here, then in a folder outside the
 * repository the packed `atoll new` writes an app, the app installs the tarball (and a package of
 * its own) with npm, and the installed `atoll` binary serves, develops and generates it while the
 * app's own TypeScript compiler checks its components against the `atoll` types.
 *
 * npm install is the slow part (seconds to a minute on a busy machine). It runs with
 * --prefer-offline: every package the app needs is one this repository's `npm ci` has just put in
 * npm's cache, so the registry is asked only for what the cache lacks.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { get } from '../helpers/serve-process.js';
import { REPO_ROOT } from '../helpers/recipe.js';

const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };

// npm passes its own settings to scripts as npm_* variables (npm test runs this file). Those that
// describe the repository, its local prefix above all, must not reach the npm commands run in the
// app, or they would act on the repository (the repository's .npmrc strict-allow-scripts would fail the
// app's install of esbuild); user settings (registry, cache) pass through.
const env: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([key]) => !/^(npm_package_|npm_lifecycle_|npm_config_local_prefix$|npm_config_strict_allow_scripts$|npm_config_call$|npm_command$|INIT_CWD$)/i.test(key),
  ),
);
env['NODE_ENV'] = '';
env['LOG_LEVEL'] = 'warn';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its exit; its output goes into the failure message of `ok`. */
function run(command: string, args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function ok(result: Run, what: string): Run {
  expect(result.code, `${what} failed:\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result;
}

/** A long-running `atoll` command in a process group of its own; resolves on the URL it prints. */
function startAtoll(bin: string, args: string[], cwd: string) {
  const child = spawn(bin, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    const read = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /(?:Atoll dev server|Atoll serving .*) at (http:\/\/\S+) \(/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code, signal) => reject(new Error(`atoll ${args.join(' ')} exited (${code ?? signal}) before listening:\n${output}`)));
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    url,
    async stop(): Promise<void> {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
        return;
      }
      await exited;
    },
  };
}

let work: string;
let app: string;
let atollBin: string;
let packedFiles: string[];

beforeAll(async () => {
  work = realpathSync(mkdtempSync(path.join(tmpdir(), 'atoll-pack-')));
  // prepack builds dist/ with the .d.ts files.
  const packed = ok(await run('npm', ['pack', '--json', '--pack-destination', work], REPO_ROOT), 'npm pack');
  // stdout holds the prepack script's lines first, then the JSON report from its first line on.
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.search(/^\[/m))) as { filename: string; files: { path: string }[] }[];
  packedFiles = info!.files.map((f) => f.path).sort();
  const tarball = path.join(work, info!.filename);

  // `npx atoll new` runs the packed CLI, which needs nothing installed for `new`: the same here,
  // from the unpacked tarball.
  mkdirSync(path.join(work, 'unpacked'));
  ok(await run('tar', ['-xzf', tarball, '-C', path.join(work, 'unpacked')], work), 'tar');
  ok(await run(process.execPath, [path.join(work, 'unpacked', 'package', 'dist', 'cli.js'), 'new', 'my-app'], work), 'atoll new');
  app = path.join(work, 'my-app');

  // A package of the app's own, not one of atoll's dependencies, imported by an island.
  const shout = path.join(work, 'tiny-shout');
  mkdirSync(shout);
  writeFileSync(
    path.join(shout, 'package.json'),
    JSON.stringify({ name: 'tiny-shout', version: '1.0.0', type: 'module', exports: { '.': { types: './index.d.ts', default: './index.js' } } }),
  );
  writeFileSync(path.join(shout, 'index.js'), 'export function shout(text) { return `${text.toUpperCase()}!`; }\n');
  writeFileSync(path.join(shout, 'index.d.ts'), 'export declare function shout(text: string): string;\n');
  writeFileSync(
    path.join(app, 'components', 'shout-banner.ts'),
    `import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { GetServerData } from 'atoll';
import { shout } from 'tiny-shout';

@customElement('shout-banner')
export class ShoutBanner extends LitElement {
  @property() text = '';
  override render() {
    return html\`<p @click=\${() => (this.text = shout(this.text))}>\${this.text}</p>\`;
  }
}

export const getServerData: GetServerData = async () => ({ props: { text: shout('from a package') } });
`,
  );
  writeFileSync(path.join(app, 'templates', 'home.html'), `${readFileSync(path.join(app, 'templates', 'home.html'), 'utf8')}<shout-banner hydrate></shout-banner>\n`);

  // The app installs atoll from the tarball (npm records it as a file: dependency) and its own
  // package as a copy, as a registry package would be (--install-links), not as a symlink.
  ok(await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--install-links', tarball, shout], app), 'npm install');
  atollBin = path.join(app, 'node_modules', '.bin', 'atoll');
}, 600_000);

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('atoll installed from npm pack into an app outside the repository', () => {
  test('the tarball holds the compiled CLI, the .d.ts of the public API, the browser runtime and the starter, and no sources or tests', () => {
    for (const file of packedFiles) expect(file, file).toMatch(/^(dist\/.+\.(js|js\.map|d\.ts|json)|starter\/.+|package\.json|README\.md|docs\/errors\.md)$/);
    expect(packedFiles).toEqual(
      expect.arrayContaining([
        'dist/cli.js',
        'dist/index.js',
        'dist/index.d.ts',
        'dist/data/types.d.ts',
        'dist/client/runtime.js',
        'dist/config/app-config.schema.json',
        'starter/app.config.json',
        'starter/gitignore',
      ]),
    );
    expect(readFileSync(path.join(work, 'unpacked', 'package', 'dist', 'cli.js'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  test('the app depends on the tarball and its own package, and nothing in it runs TypeScript through tsx', () => {
    const appManifest = JSON.parse(readFileSync(path.join(app, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(appManifest.dependencies['atoll']).toBe(`file:../atoll-${manifest.version}.tgz`);
    expect(appManifest.dependencies['tiny-shout']).toBe('file:../tiny-shout');
    expect(existsSync(path.join(app, 'node_modules', 'tsx'))).toBe(false);
    expect(existsSync(path.join(app, 'node_modules', 'tiny-shout', 'index.js'))).toBe(true);
  });

  test('atoll dev serves the page with the server data of each component, and the island code with the app package in it', async () => {
    const dev = startAtoll(atollBin, ['dev', '--port', '0'], app);
    try {
      const base = await dev.url;
      const page = await get(base, '/?name=Ada');
      expect(page.status).toBe(200);
      expect(page.body).toContain('<title>Hello, Ada</title>');
      expect(page.body).toContain('<h1><!--lit-part-->Hello, Ada!<!--/lit-part--></h1>');
      expect(page.body).toContain('<p ><!--lit-part-->FROM A PACKAGE!<!--/lit-part--></p>');
      expect(page.body).toContain('<script type="application/json" data-atoll-props="1">{"likes":41}</script>');
      expect(page.body).toContain('<script type="application/json" data-atoll-props="2">{"text":"FROM A PACKAGE!"}</script>');
      expect(page.body).toContain('/_atoll/dev-events');
      const island = /"shout-banner":"(\/_atoll\/shout-banner-[A-Z0-9]+\.js)"/.exec(page.body)?.[1];
      expect(island).toBeDefined();
      const code = await get(base, island!);
      expect(code.status).toBe(200);
      expect(code.body).toContain('toUpperCase()');
    } finally {
      await dev.stop();
    }
  });

  test('atoll serve serves it in production', async () => {
    const serve = startAtoll(atollBin, ['serve', '--port', '0'], app);
    try {
      const page = await get(await serve.url, '/');
      expect(page.status).toBe(200);
      expect(page.body).toContain('<h1><!--lit-part-->Hello, world!<!--/lit-part--></h1>');
      expect(page.body).not.toContain('/_atoll/dev-events');
    } finally {
      await serve.stop();
    }
  });

  test('atoll generate writes it as a static site', async () => {
    const generated = ok(await run(atollBin, ['generate'], app), 'atoll generate');
    expect(generated.stdout).toContain(`Generated 1 page and 404.html into ${path.join(app, 'site')}`);
    const html = readFileSync(path.join(app, 'site', 'index.html'), 'utf8');
    expect(html).toContain('<h1><!--lit-part-->Hello, world!<!--/lit-part--></h1>');
    expect(html).toContain('<p ><!--lit-part-->FROM A PACKAGE!<!--/lit-part--></p>');
  });

  test("the app's own test (node:test) passes", async () => {
    const tested = ok(await run('npm', ['test'], app), 'npm test in the app');
    expect(tested.stdout).toContain('# pass 1');
  });

  test('tsc type-checks the components against the atoll types, and rejects a data hook that returns a wrong shape', async () => {
    ok(await run(path.join(app, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', '.'], app), 'tsc');
    const wrong = path.join(app, 'components', 'wrong-shape.ts');
    writeFileSync(wrong, "import type { GetServerData } from 'atoll';\nexport const getServerData: GetServerData = async () => ({ prop: { a: 1 } });\n");
    try {
      const failed = await run(path.join(app, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', '.'], app);
      expect(failed.code).not.toBe(0);
      expect(failed.stdout).toContain('components/wrong-shape.ts(2,');
      expect(failed.stdout).toContain('SsrDataResponse');
    } finally {
      rmSync(wrong);
    }
  });
});
