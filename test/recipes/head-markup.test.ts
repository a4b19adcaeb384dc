import { expect, test } from 'vitest';
import { golden, startRecipe } from '../helpers/recipe.js';

test('head-markup: title, meta, canonical link, JSON-LD and style, merged from two roots and escaped', async () => {
  const { server } = await startRecipe('head-markup');
  const response = await server.inject('/articles/%3C%2Ftitle%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E');
  const head = response.body.slice(response.body.indexOf('<head>'), response.body.indexOf('</head>'));
  expect(head).toBe(`<head>
<meta charset="utf-8">
<title>Article: &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>
<meta name="description" content="All about &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;">
<meta property="og:title" content="Article: &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;">
<meta name="twitter:card" content="summary">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"Article","headline":"Article: \\u003c/title\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"}</script>
<link href="https://example.com/articles/%3C%2Ftitle%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E" rel="canonical">
<style id="article-theme">h1 { color: rebeccapurple; }</style>
`);
  await expect(response.body).toMatchFileSnapshot(golden('head-markup', 'article'));
  await server.close();
});
