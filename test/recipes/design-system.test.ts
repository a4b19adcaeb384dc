import { afterAll, beforeAll, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { startRecipe } from '../helpers/recipe.js';
import type { LogLine } from '../helpers/write-app.js';

let server: FastifyInstance;
let logs: LogLine[];
beforeAll(async () => {
  ({ server, logs } = await startRecipe('design-system'));
});
afterAll(async () => {
  await server?.close();
});

test('design-system: Web Awesome components are server-rendered as declarative shadow roots inside the island', async () => {
  const response = await server.inject('/');
  expect(response.statusCode).toBe(200);
  for (const tag of ['wa-card', 'wa-input', 'wa-checkbox', 'wa-button']) {
    expect(response.body, tag).toMatch(new RegExp(`<${tag}(?=[\\s>])[^>]*><template shadowroot="open"`));
  }
  expect(response.body).toContain('<link rel="stylesheet" href="/wa/webawesome.css">');
  expect(logs.filter((l) => l['code'] === 'ATOLL_ELEMENT_RENDERED_IN_BROWSER')).toEqual([]);
});

test('design-system: the theme is served from the installed package, its relative imports too', async () => {
  const css = await server.inject('/wa/webawesome.css');
  expect(css.statusCode).toBe(200);
  expect(css.headers['content-type']).toMatch(/^text\/css/);
  expect(css.body).toContain("@import url('themes/default.css')");
  expect((await server.inject('/wa/themes/default.css')).statusCode).toBe(200);
  expect((await server.inject('/wa/../package.json')).statusCode).toBe(404);
});
