import path from 'node:path';
import { expect } from 'vitest';
import { loadApp, type App } from '../../src/app.js';
import { serveApp } from '../../src/server/create-server.js';
import { listPages } from '../../src/generate/list-pages.js';
import { REPO_ROOT } from './recipe.js';

/** URLs of routes with parameters that neither staticSite.paths nor getStaticPaths list. */
const EXTRA: Record<string, string[]> = {
  '.': ['/category/books', '/category/toys'],
  'recipes/errors-and-status': ['/products/1', '/products/99', '/products/discontinued', '/products/old-teapot', '/products/broken'],
  'recipes/head-markup': ['/articles/lit-ssr', '/articles/%3C%2Ftitle%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E'],
  'recipes/params-and-query': ['/docs/api', '/docs/guide/install/linux?q=%3Cb%3Elit%3C/b%3E&tag=a&tag=b'],
};

async function serve(root: string, withoutFragmentCache: boolean): Promise<{ app: App; get: (url: string) => Promise<{ statusCode: number; body: string }> }> {
  const app = await loadApp(root, { mode: 'production', ssrTimeoutMs: 5000, withoutPageCache: true, withoutFragmentCache });
  const server = serveApp(app, { logLevel: 'silent', overload: { maxEventLoopDelayMs: 0 } });
  await server.ready();
  return { app, get: (url) => server.inject({ url, headers: { 'accept-language': 'en-US' } }) };
}

const FILL_START = '<template data-atoll-fill="';

/**
 * Deferred roots' fills come in the order their data settles (render/deferred-fills.ts), and a
 * root served from the fragment cache settles at once: the document is compared with its fills
 * in island order, each fill byte for byte. A page without fills is left as it is.
 */
function fillsInIndexOrder(html: string): string {
  const start = html.indexOf(FILL_START);
  if (start === -1) return html;
  const end = html.lastIndexOf('</body>');
  const fills = html.slice(start, end).split(/(?=<template data-atoll-fill=")/);
  const index = (fill: string) => Number(fill.slice(FILL_START.length, fill.indexOf('"', FILL_START.length)));
  return html.slice(0, start) + fills.sort((a, b) => index(a) - index(b)).join('') + html.slice(end);
}

/**
 * The page cache is off on both sides, so every page is assembled: on the second and third
 * request each root with a TTL comes from the fragment cache (its hook not called, its element
 * not rendered), and the page must still be the bytes of the page rendered without that cache.
 * Returns how many fragment-cache entries the app's pages left.
 */
export async function expectFragmentIdentity(relative: string): Promise<number> {
  const root = path.join(REPO_ROOT, relative);
  const plain = await serve(root, true);
  const cached = await serve(root, false);
  expect(plain.app.fragmentCache).toBeUndefined();
  const urls = [...(await listPages(plain.app)).pages.map((p) => p.url), ...(EXTRA[relative] ?? [])];
  expect(urls.length).toBeGreaterThan(0);
  for (const url of urls) {
    const expected = await plain.get(url);
    for (let i = 0; i < 3; i++) {
      const response = await cached.get(url);
      expect(response.statusCode, url).toBe(expected.statusCode);
      expect(fillsInIndexOrder(response.body), `${url} (request ${i + 1})`).toBe(fillsInIndexOrder(expected.body));
    }
  }
  return cached.app.fragmentCache!.size;
}
