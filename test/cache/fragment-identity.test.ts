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

/** The recipes with roots whose hooks return a TTL and read no headers: their pages must have gone through the fragment cache. */
const STORE_FRAGMENTS = new Set(['cache-ttl', 'partial-caching', 'streaming-islands']);

test.each(RECIPES)('recipes/%s: pages assembled from fragments are byte-identical', async (name) => {
  const stored = await expectFragmentIdentity(`recipes/${name}`);
  // The others' roots have no TTL or are personal, and are never stored.
  expect(stored > 0, `fragments stored: ${stored}`).toBe(STORE_FRAGMENTS.has(name));
});
