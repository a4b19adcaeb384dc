/**
 * INV-3: no file outside the public roots is served, no dotfile inside them, no symlink out of
 * them, and no template, config or source by any URL. Advisory classes: @fastify/static
 * GHSA-83w8-p2f5-377r / CVE-2026-15074 (non-leading ..), GHSA-8pvw-jcv7-9cmj (// and /./),
 * GHSA-x428-ghpx-8j92 (%2F), the `dotfiles: 'allow'` default and followed symlinks,
 * Vite CVE-2025-30208 (# and ? tricks).
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { litComponent, startApp, writeApp } from '../helpers/write-app.js';
import { rawGet } from '../helpers/raw-http.js';

const SECRET = 'TOP-SECRET-VALUE';
let server: FastifyInstance;
let port: number;

beforeAll(async () => {
  const outside = writeApp({ 'secret.txt': SECRET });
  const root = writeApp({
    'app.config.json': { routes: [{ id: 'home', path: '/', contentTemplate: 'templates/home.html' }] },
    'templates/home.html': `<s-page></s-page><!-- ${SECRET} in a template -->`,
    'components/s-page.ts': `${litComponent('s-page', { render: 'page' })}// ${SECRET} in a source\n`,
    'public/ok.txt': 'public file',
    'public/.env': `KEY=${SECRET}`,
    'public/.git/config': SECRET,
    'public/sub/inner.txt': 'inner',
    '.env': `KEY=${SECRET}`,
  });
  writeFileSync(path.join(root, 'app.config.json.bak'), SECRET);
  symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'public', 'link-out.txt'));
  mkdirSync(path.join(root, 'public', 'dir-link-parent'));
  symlinkSync(outside, path.join(root, 'public', 'dir-link-parent', 'out'));
  ({ server } = await startApp(root));
  await server.listen({ port: 0, host: '127.0.0.1' });
  port = (server.server.address() as { port: number }).port;
});
afterAll(() => server.close());

test('a public file is served', async () => {
  const response = await rawGet(port, '/public/ok.txt');
  expect(response.status).toBe(200);
  expect(response.body).toBe('public file');
});

test.each([
  '/public/../app.config.json',
  '/public/../../app.config.json',
  '/public/sub/../../app.config.json',
  '/public/%2e%2e/app.config.json',
  '/public/%2E%2E/app.config.json',
  '/public/..%2fapp.config.json',
  '/public/%2e%2e%2fapp.config.json',
  '/public/%252e%252e/app.config.json',
  '/public/..%5capp.config.json',
  '/public/..\\app.config.json',
  '/public/%00/../app.config.json',
  '/public/ok.txt%00.html',
  '//public/../app.config.json',
  '/public//../app.config.json',
  '/public/./../app.config.json',
  '/public/.env',
  '/public/%2eenv',
  '/public/.git/config',
  '/public/.git%2fconfig',
  '/public/link-out.txt',
  '/public/dir-link-parent/out/secret.txt',
  '/app.config.json',
  '/app.config.json.bak',
  '/.env',
  '/templates/home.html',
  '/components/s-page.ts',
  '/public/../templates/home.html',
  '/public/../components/s-page.ts',
  '/public/ok.txt/../../.env',
  '/public/ok.txt#/../../app.config.json',
  '/public/ok.txt?/../../app.config.json',
])('%s reveals nothing', async (target) => {
  const response = await rawGet(port, target);
  expect(response.body).not.toContain(SECRET);
  expect(response.body).not.toContain('"routes"');
  if (!target.includes('ok.txt')) expect(response.status).toBeGreaterThanOrEqual(400);
});

test('an asset folder that would expose the config, templates or sources is a startup error', async () => {
  const root = writeApp({
    'app.config.json': {
      routes: [{ id: 'home', path: '/', contentTemplate: 'templates/home.html' }],
      assets: [
        { dir: '.', urlPath: '/files' },
        { dir: 'templates', urlPath: '/t' },
      ],
    },
    'templates/home.html': '<p>x</p>',
  });
  await expect(startApp(root)).rejects.toThrow(/assets\[0\]\.dir: "\." would serve app\.config\.json[\s\S]*assets\[1\]\.dir: "templates" would serve templates\/home\.html/);
});
