import { afterAll, beforeAll, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import path from 'node:path';
import { REPO_ROOT, startRecipe } from '../helpers/recipe.js';
import { checkApp } from '../../src/check/check-app.js';
import type { LogLine } from '../helpers/write-app.js';
import { expectCompleteDocument, openPage } from '../helpers/deferred-page.js';
import { FILL_SCRIPT, FILL_SCRIPT_BODY, FILL_TRIGGER } from '../../src/client/fill-script.js';

// ?latency=0 makes every data source answer at once; the order of events over the socket is
// tested with held hooks in test/render/deferred-roots.test.ts.
let server: FastifyInstance;
let logs: LogLine[];
let port: number;
beforeAll(async () => {
  ({ server, logs } = await startRecipe('streaming-islands'));
  await server.listen({ port: 0, host: '127.0.0.1' });
  port = (server.server.address() as { port: number }).port;
});
afterAll(() => server.close());

test('streaming-islands: the body goes out with both deferred fallbacks, then each fill; the page ends complete', async () => {
  const { status, headers, body } = await openPage(port, '/product/blue?latency=0').done;
  expect(status).toBe(200);
  expectCompleteDocument(body);
  expect(body).toContain('<title>Teapot blue</title>');
  expect(body).toContain('<strong><!--lit-part-->In stock (12)<!--/lit-part--></strong>');
  // In the body, up to the footer: the placeholders, each showing only its fallback.
  const main = body.slice(0, body.indexOf(FILL_SCRIPT));
  expect(main).toContain('<footer>Free returns within 30 days.</footer>');
  expect(main).toMatch(
    /<product-reviews\s+defer hydrate timeout="3s" defer-hydration data-atoll-deferred="2"><template shadowroot="open" shadowrootmode="open"><slot name="fallback"><\/slot><\/template>/,
  );
  expect(main).toContain('<p slot="fallback">Loading related items…</p>');
  expect(main).not.toContain('Pours without dripping.');
  // After it: one fill per deferred root, each followed by the fixed trigger; the reviews' props travel with theirs.
  const rest = body.slice(body.indexOf(FILL_SCRIPT) + FILL_SCRIPT.length);
  expect(rest.match(/<template data-atoll-fill="(\d)">/g)?.sort()).toEqual(['<template data-atoll-fill="2">', '<template data-atoll-fill="3">']);
  expect(rest.split(FILL_TRIGGER).length).toBe(3);
  expect(rest).toContain('Keeps tea hot for an hour &lt;really&gt;.');
  expect(rest).toContain(
    '<script type="application/json" data-atoll-props="2">{"reviews":[{"author":"Ada","text":"Pours without dripping."},{"author":"Lin","text":"Keeps tea hot for an hour \\u003creally\\u003e."}],"helpful":3}</script>',
  );
  // Sent private while the deferred roots were pending; stored complete, so the next one is a hit.
  expect(headers['cache-control']).toBe('private, no-cache');
  const hit = await server.inject('/product/blue?latency=0');
  expect(hit.headers['x-atoll-cache']).toBe('hit');
  expect(hit.headers['cache-control']).toMatch(/^public, max-age=(30|29)\b/);
  expect(hit.body).toBe(body);
});

test('streaming-islands: a stock service that fails leaves "Stock unknown"; the page renders, is logged and not cached', async () => {
  const response = await server.inject('/product/red?latency=0&stock=down');
  expect(response.statusCode).toBe(200);
  expectCompleteDocument(response.body);
  expect(response.body).toMatch(
    /<stock-badge\s+timeout="300ms" defer-hydration><template shadowroot="open" shadowrootmode="open"><slot name="fallback"><\/slot><\/template><span slot="fallback">Stock unknown<\/span><\/stock-badge>/,
  );
  expect(response.body).toContain('Pours without dripping.');
  expect(response.headers['cache-control']).toBe('private, no-cache');
  expect(logs.find((l) => l['code'] === 'ATOLL_DATA_HOOK_FAILED')).toMatchObject({ routeId: 'product', tag: 'stock-badge', level: 50 });
  expect((await server.inject('/product/red?latency=0&stock=down')).headers['x-atoll-cache']).toBe('bypass');
});

test('the fill script is under 1 KB', () => {
  expect(Buffer.byteLength(FILL_SCRIPT_BODY)).toBeLessThan(1024);
  expect(Buffer.byteLength(FILL_SCRIPT)).toBeLessThan(1024);
});

test('streaming-islands: npm run check renders the deferred roots inline and passes', async () => {
  const report = await checkApp(path.join(REPO_ROOT, 'recipes', 'streaming-islands'), 5000);
  expect(report.pages.map((p) => [p.url, p.status, p.problems])).toEqual([['/product/blue', 200, []]]);
  expect(report.ok).toBe(true);
});
