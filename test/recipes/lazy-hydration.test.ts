import { expect, test } from 'vitest';
import { startRecipe } from '../helpers/recipe.js';

test('lazy-hydration: idle and visible islands are server-rendered; only the runtime is preloaded', async () => {
  const { server } = await startRecipe('lazy-hydration');
  const { body } = await server.inject('/');
  expect(body).toContain('<comment-box      hydrate="visible" hydrate-margin="100px" data-atoll-island="1" defer-hydration><template shadowroot="open" shadowrootmode="open">');
  expect(body).toContain('<li><!--lit-part-->First!<!--/lit-part--></li>');
  const preloads = [...body.matchAll(/<link rel="modulepreload" href="\/_atoll\/([a-z-]+)-[A-Z0-9]{8}\.js">/g)].map((m) => m[1]);
  expect(preloads).toContain('atoll-runtime');
  expect(preloads).not.toContain('comment-box');
  expect(preloads).not.toContain('idle-widget');
  await server.close();
});
