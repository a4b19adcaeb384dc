/**
 * Atoll's development hydration check (check --browser) on the four design-system pages; its own
 * file, since the check loads the app in this process and the design-system test loads it too.
 */
import { expect, test } from 'vitest';
import { checkInBrowser } from '../../src/check/browser-check.js';
import { DESIGN_SYSTEMS, writeDesignSystemApp } from '../helpers/design-systems.js';

test('check --browser passes on all four pages, though nested elements set their own host attributes and append their own children', async () => {
  const { ok, text } = await checkInBrowser(
    writeDesignSystemApp(),
    DESIGN_SYSTEMS.map((ds) => `/${ds.root}`),
    5000,
  );
  expect(text).toContain('ok    /ds-webawesome');
  expect(text).toContain('ok    /ds-carbon');
  expect(text).toContain('browser check passed');
  expect(ok).toBe(true);
});
