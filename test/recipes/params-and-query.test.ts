import { expect, test } from 'vitest';
import { golden, startRecipe } from '../helpers/recipe.js';

test('params-and-query: decoded params, optional wildcard, repeated query keys, escaped output', async () => {
  const { server } = await startRecipe('params-and-query');
  const page = await server.inject('/docs/guide/install/linux?q=%3Cb%3Elit%3C/b%3E&tag=a&tag=b');
  expect(page.statusCode).toBe(200);
  expect(page.body).toContain('<h1><!--lit-part-->guide<!--/lit-part--></h1>');
  expect(page.body).toContain('Page: <!--lit-part-->install / linux<!--/lit-part-->');
  expect(page.body).toContain('Search: <!--lit-part-->&lt;b&gt;lit&lt;/b&gt;<!--/lit-part-->');
  expect(page.body).toContain('<li><!--lit-part-->a<!--/lit-part--></li><!--/lit-part--><!--lit-part PuAyB/F8cHw=--><li><!--lit-part-->b<!--/lit-part--></li>');
  await expect(page.body).toMatchFileSnapshot(golden('params-and-query', 'section'));
  const index = await server.inject('/docs/api');
  expect(index.body).toContain('Page: <!--lit-part-->(index)<!--/lit-part-->');
  await server.close();
});
