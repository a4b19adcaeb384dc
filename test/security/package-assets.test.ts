/**
 * Package assets (`assets: [{ package, dir, urlPath }]`) follow the rules of public/: no dotfile,
 * no file outside the folder (not the rest of the package, not a symlink out of it), no traversal.
 */
import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { litComponent, startApp, writeApp } from '../helpers/write-app.js';
import { rawGet } from '../helpers/raw-http.js';

const SECRET = 'TOP-SECRET-VALUE';
let server: FastifyInstance;
let port: number;
const page = {
  'templates/home.html': '<p-page></p-page>',
  'components/p-page.ts': litComponent('p-page', { render: 'page' }),
};
const theme = 'node_modules/@acme/theme';

beforeAll(async () => {
  const outside = writeApp({ 'secret.txt': SECRET });
  const root = writeApp({
    'app.config.json': { routes: [{ id: 'home', path: '/', contentTemplate: 'templates/home.html' }], assets: [{ package: '@acme/theme', dir: 'dist/themes', urlPath: '/theme' }] },
    ...page,
    [`${theme}/package.json`]: { name: '@acme/theme', version: '1.0.0', exports: { '.': './index.js' } },
    [`${theme}/index.js`]: `// ${SECRET}`,
    [`${theme}/dist/secret.txt`]: SECRET,
    [`${theme}/dist/themes/light.css`]: ':root { --acme: blue; }',
    [`${theme}/dist/themes/sub/dark.css`]: ':root { --acme: black; }',
    [`${theme}/dist/themes/.env`]: SECRET,
  });
  symlinkSync(path.join(outside, 'secret.txt'), path.join(root, theme, 'dist/themes/link-out.css'));
  mkdirSync(path.join(root, theme, 'dist/themes/dir-link'));
  symlinkSync(outside, path.join(root, theme, 'dist/themes/dir-link/out'));
  ({ server } = await startApp(root));
  await server.listen({ port: 0, host: '127.0.0.1' });
  port = (server.server.address() as { port: number }).port;
});
afterAll(() => server.close());

test('files of the package folder are served under urlPath', async () => {
  const response = await rawGet(port, '/theme/light.css');
  expect(response.status).toBe(200);
  expect(response.body).toBe(':root { --acme: blue; }');
  expect((await rawGet(port, '/theme/sub/dark.css')).body).toBe(':root { --acme: black; }');
});

test.each([
  '/theme/../secret.txt',
  '/theme/../../package.json',
  '/theme/../../index.js',
  '/theme/%2e%2e/secret.txt',
  '/theme/%2E%2E/%2E%2E/index.js',
  '/theme/..%2fsecret.txt',
  '/theme/%252e%252e/secret.txt',
  '/theme/..%5csecret.txt',
  '/theme/sub/../../secret.txt',
  '//theme/../secret.txt',
  '/theme/./../secret.txt',
  '/theme/%00/../secret.txt',
  '/theme/.env',
  '/theme/%2eenv',
  '/theme/link-out.css',
  '/theme/dir-link/out/secret.txt',
  '/theme/light.css/../../secret.txt',
  '/node_modules/@acme/theme/index.js',
])('%s reveals nothing', async (target) => {
  const response = await rawGet(port, target);
  expect(response.body).not.toContain(SECRET);
  expect(response.status).toBeGreaterThanOrEqual(400);
});

test('a package that is not installed, a folder outside the package and a missing folder are startup errors naming the entry', async () => {
  const root = writeApp({
    'app.config.json': {
      routes: [{ id: 'home', path: '/', contentTemplate: 'templates/home.html' }],
      assets: [
        { package: '@acme/missing', dir: 'dist', urlPath: '/a' },
        { package: '@acme/theme', dir: '../../..', urlPath: '/b' },
        { package: '@acme/theme', dir: 'nope', urlPath: '/c' },
      ],
    },
    ...page,
    [`${theme}/package.json`]: { name: '@acme/theme', version: '1.0.0' },
  });
  const error = await startApp(root).then(
    () => undefined,
    (e: unknown) => e as Error & { code: string },
  );
  expect(error?.code).toBe('ATOLL_CONFIG_INVALID');
  expect(error?.message).toContain('assets[0].package: "@acme/missing" is not installed (no node_modules/@acme/missing/package.json from');
  expect(error?.message).toMatch(/assets\[1\]\.dir: "\.\.\/\.\.\/\.\." is outside the package folder .*@acme\/theme; use a folder inside it/);
  expect(error?.message).toMatch(/assets\[2\]\.dir: folder "nope" does not exist in .*@acme\/theme/);
});

test('a package name with a path in it is refused by the schema', async () => {
  const root = writeApp({
    'app.config.json': { routes: [{ id: 'home', path: '/', contentTemplate: 'templates/home.html' }], assets: [{ package: '../../etc', dir: '.', urlPath: '/x' }] },
    ...page,
  });
  await expect(startApp(root)).rejects.toThrow(/assets\/0\/package|assets\[0\]\.package/);
});
