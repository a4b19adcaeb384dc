import { expect, test } from 'vitest';
import { golden, startRecipe } from '../helpers/recipe.js';

test('server-data: getServerData loads from the data source and returns props, title and meta', async () => {
  const { server } = await startRecipe('server-data');
  const response = await server.inject('/');
  expect(response.statusCode).toBe(200);
  expect(response.body).toContain('<title>3 classic books</title>');
  expect(response.body).toContain('<meta name="description" content="Structure and Interpretation of Computer Programs, Design Patterns, The C Programming Language">');
  expect(response.body.match(/<li>/g)).toHaveLength(3);
  expect(response.headers['cache-control']).toBe('private, no-cache');
  await expect(response.body).toMatchFileSnapshot(golden('server-data', 'books'));
  await server.close();
});
