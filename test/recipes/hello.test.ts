import { expect, test } from 'vitest';
import { golden, startRecipe } from '../helpers/recipe.js';

test('hello: one static root rendered from its template attribute, no JavaScript', async () => {
  const { server } = await startRecipe('hello');
  const response = await server.inject('/');
  expect(response.statusCode).toBe(200);
  expect(response.body).toContain('<p>Hello, <!--lit-part-->world<!--/lit-part-->!</p>');
  expect(response.body).not.toContain('<script');
  await expect(response.body).toMatchFileSnapshot(golden('hello', 'home'));
  await server.close();
});
