import { readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { REPO_ROOT } from '../helpers/recipe.js';
import { expectFragmentIdentity } from '../helpers/fragment-identity.js';

// bench-reference defines <product-list> as the demo does, with other code: it has its own file
// (fragment-identity-bench.test.ts), since one process holds one definition per tag.
const RECIPES = readdirSync(path.join(REPO_ROOT, 'recipes')).filter((name) => name !== 'bench-reference');

test('the demo app: pages assembled from fragments are byte-identical to pages rendered without the fragment cache', async () => {
  expect(await expectFragmentIdentity('.')).toBeGreaterThan(0);
});

test.each(RECIPES)('recipes/%s: pages assembled from fragments are byte-identical', async (name) => {
  const stored = await expectFragmentIdentity(`recipes/${name}`);
  // The recipe whose hooks return TTLs must have gone through the fragment cache.
  if (name === 'cache-ttl') expect(stored).toBeGreaterThan(0);
});
