/**
 * Takes docs/screenshot.png (the README's picture of the demo shop) in Debian's Chromium:
 * `node --import tsx scripts/screenshot.ts`. A category page after two "add to cart" clicks.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from '../src/server/create-server.js';
import { launchBrowser } from '../test/helpers/browser.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const server = await createServer({ root, mode: 'production', ssrTimeoutMs: 5000, logLevel: 'warn' });
const base = await server.listen({ port: 0, host: '127.0.0.1' });
const browser = await launchBrowser();
try {
  const page = await (await browser.newContext({ viewport: { width: 1100, height: 700 } })).newPage();
  await page.goto(`${base}/category/books`);
  await page.waitForFunction(() => !document.querySelector('product-list')!.hasAttribute('defer-hydration'));
  for (const [index, count] of [
    [0, 1],
    [4, 2],
  ] as const) {
    await page.locator('product-list li').nth(index).getByRole('button', { name: 'Add to cart' }).click();
    await page
      .locator('cart-count .count')
      .filter({ hasText: `(${count})` })
      .waitFor();
  }
  await page.screenshot({ path: path.join(root, 'docs', 'screenshot.png') });
} finally {
  await browser.close();
  await server.close();
}
