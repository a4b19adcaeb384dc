import { expect, test } from 'vitest';
import { expectFragmentIdentity } from '../helpers/fragment-identity.js';

// Its own file: bench-reference defines <product-list> with other code than the demo's.
test('recipes/bench-reference: pages assembled from fragments are byte-identical to pages rendered without the fragment cache', async () => {
  // /personal's product list (ttl="60") is stored: its page is assembled from the fragment.
  expect(await expectFragmentIdentity('recipes/bench-reference')).toBeGreaterThan(0);
});
