import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { generateSite } from '../../src/generate/generate-site.js';
import { AtollError } from '../../src/errors.js';
import { REPO_ROOT, startRecipe } from '../helpers/recipe.js';
import { litComponent, startApp, writeApp } from '../helpers/write-app.js';

const outDir = () => mkdtempSync(path.join(tmpdir(), 'atoll-site-'));
const files = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
const generate = (root: string, out: string) => generateSite({ root, outDir: out, concurrency: 4, ssrTimeoutMs: 5000 });

async function rejection(promise: Promise<unknown>): Promise<AtollError> {
  try {
    await promise;
  } catch (error) {
    if (AtollError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('static-site recipe', () => {
  test('every page file equals the server response for its URL; getStaticPaths, staticSite.paths, 404 and assets', async () => {
    const out = outDir();
    writeFileSync(path.join(out, 'stale.html'), 'from an earlier run');
    const report = await generate(path.join(REPO_ROOT, 'recipes', 'static-site'), out);
    expect(report.pages).toBe(6);
    expect(report.warnings).toEqual([]);
    const written = files(out);
    expect(written.filter((f) => !f.startsWith('_atoll'))).toEqual([
      '404.html',
      'index.html',
      'posts/hello-islands/index.html',
      'posts/lit-everywhere/index.html',
      'posts/static-and-fast/index.html',
      'public/blog.css',
      'tags/lit/index.html',
      'tags/ssr/index.html',
    ]);
    const { server } = await startRecipe('static-site');
    for (const [url, file] of [
      ['/', 'index.html'],
      ['/posts/hello-islands', 'posts/hello-islands/index.html'],
      ['/tags/lit', 'tags/lit/index.html'],
      ['/posts/lit-everywhere', 'posts/lit-everywhere/index.html'],
      ['/posts/static-and-fast', 'posts/static-and-fast/index.html'],
      ['/tags/ssr', 'tags/ssr/index.html'],
    ] as const) {
      expect(readFileSync(path.join(out, file), 'utf8'), url).toBe((await server.inject(url)).body);
    }
    const notFound = await server.inject('/no/such/page');
    expect(readFileSync(path.join(out, '404.html'), 'utf8')).toBe(notFound.body);
    const clientFiles = written.filter((f) => f.startsWith('_atoll/'));
    for (const file of clientFiles) expect((await server.inject(`/${file}`)).statusCode, file).toBe(200);
    expect(clientFiles.some((f) => /^_atoll\/like-button-[A-Z0-9]{8}\.js$/.test(f))).toBe(true);
    await server.close();
  });
});

describe('fixture apps', () => {
  // One folder for every fixture app of this file, rewritten per test: the same component file in
  // the same place compiles to the same module, which a process may define only once.
  const root = writeApp({ 't.html': '<g-card></g-card>', 'island.html': '<g-card hydrate></g-card>', 'public/logo.txt': 'logo', 'public/.env': 'SECRET=1' });
  symlinkSync('/etc/hostname', path.join(root, 'public', 'escape.txt'));
  const app = (config: object): string => {
    writeFileSync(path.join(root, 'app.config.json'), JSON.stringify(config));
    return root;
  };
  const card = litComponent('g-card', {
    properties: 'id: {}',
    render: '<p>${this.id}</p>',
    extra: `export async function getServerData({ params, query }) {
      if (params.id === 'broken') throw new Error('database down');
      if (params.id === 'moved') return { redirect: { destination: '/items/1' } };
      return { props: { id: String(params.id ?? params.rest ?? 'none') } };
    }`,
  });

  mkdirSync(path.join(root, 'components'));
  writeFileSync(path.join(root, 'components', 'g-card.ts'), card);
  test('basePath: files sit at their URL minus basePath and links keep it; a route without paths is reported', async () => {
    app({
      basePath: '/shop',
      routes: [
        { id: 'home', path: '/', contentTemplate: 't.html' },
        { id: 'item', path: '/items/:id', contentTemplate: 'island.html' },
        { id: 'orphan', path: '/orphans/:id', contentTemplate: 't.html' },
      ],
      staticSite: { paths: ['/items/1?ref=x', '/items/a%20b'] },
    });
    const out = outDir();
    const report = await generate(root, out);
    expect(report.warnings.map((w) => w.code)).toEqual(['ATOLL_GENERATE_PARAMS_MISSING']);
    expect(report.warnings[0]!.message).toContain('Route "orphan" (/orphans/:id) has parameters');
    expect(files(out).filter((f) => !f.startsWith('_atoll'))).toEqual(['404.html', 'index.html', 'items/1/index.html', 'items/a b/index.html', 'public/logo.txt']);
    const item = readFileSync(path.join(out, 'items/1/index.html'), 'utf8');
    expect(item).toMatch(/<link rel="modulepreload" href="\/shop\/_atoll\/atoll-runtime-[A-Z0-9]{8}\.js">/);
    const { server } = await startApp(root);
    expect(item).toBe((await server.inject('/shop/items/1?ref=x')).body);
    await server.close();
  });

  test.each([
    ['/files/../x', 'would leave the output folder'],
    ['/items/%2e%2e', 'would leave the output folder'],
    ['/items/a%2Fb', 'has a segment with a slash'],
    ['/items/a%5Cb', 'has a segment with a slash, backslash'],
    ['/nowhere', 'matches no route'],
  ])('a listed path %s is refused before anything is written', async (listed, message) => {
    app({
      routes: [
        { id: 'item', path: '/items/:id', contentTemplate: 't.html' },
        { id: 'files', path: '/files/*rest', contentTemplate: 't.html' },
      ],
      staticSite: { paths: [listed] },
    });
    const out = outDir();
    writeFileSync(path.join(out, 'keep.txt'), 'untouched');
    const error = await rejection(generate(root, out));
    expect(error.code).toBe('ATOLL_GENERATE_PATH_INVALID');
    expect(error.message).toContain(message);
    expect(files(out)).toEqual(['keep.txt']);
  });

  test.each([
    ['/items/broken', 'Route "item", URL /items/broken: getServerData of <g-card> on route "item" threw: database down'],
    ['/items/moved', 'Route "item", URL /items/moved: the page answered 302 (redirect to /items/1)'],
  ])('a failing page (%s) fails the run with its route and URL and leaves no file for it', async (listed, message) => {
    app({ routes: [{ id: 'item', path: '/items/:id', contentTemplate: 't.html' }], staticSite: { paths: ['/items/1', listed] } });
    const out = outDir();
    const error = await rejection(generate(root, out));
    expect(error.code).toBe('ATOLL_GENERATE_PAGE_FAILED');
    expect(error.message).toContain(message);
    expect(existsSync(path.join(out, listed.slice(1), 'index.html'))).toBe(false);
    expect(files(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('the output folder may not be the app folder or a parent of it', async () => {
    app({ routes: [] });
    expect((await rejection(generate(root, root))).code).toBe('ATOLL_GENERATE_OUTPUT_INVALID');
    expect((await rejection(generate(root, path.dirname(root)))).code).toBe('ATOLL_GENERATE_OUTPUT_INVALID');
  });
});

test('npm run generate exits 1 naming the failing page, and 0 with a summary otherwise', () => {
  const root = writeApp({
    'app.config.json': { routes: [{ id: 'item', path: '/items/:id', contentTemplate: 't.html' }], staticSite: { paths: ['/items/broken'] } },
    't.html': '<g-bad></g-bad>',
    'components/g-bad.ts': litComponent('g-bad', { render: 'x', extra: "export async function getServerData() { throw new Error('database down'); }" }),
  });
  const failed = spawnSync('npm', ['run', 'generate', '--silent', '--', '--root', root], { cwd: REPO_ROOT, encoding: 'utf8' });
  expect(failed.status).toBe(1);
  expect(failed.stderr).toContain('ATOLL_GENERATE_PAGE_FAILED: Route "item", URL /items/broken: getServerData of <g-bad> on route "item" threw: database down');
  const out = outDir();
  const ok = spawnSync('npm', ['run', 'generate', '--silent', '--', '--root', 'recipes/hello', '--out', out], { cwd: REPO_ROOT, encoding: 'utf8' });
  expect(ok.status).toBe(0);
  expect(ok.stdout).toMatch(new RegExp(`^Generated 1 page and 404\\.html into ${out} in \\d+\\.\\d s\\n$`));
});
