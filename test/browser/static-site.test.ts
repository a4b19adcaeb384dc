import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.js';
import { REPO_ROOT } from '../helpers/recipe.js';
import { generateSite } from '../../src/generate/generate-site.js';

let browser: Browser;
let staticServer: ChildProcess;
let base: string;

/** The generated folder served by a plain static file server that knows nothing of Atoll (Python's http.server). */
beforeAll(async () => {
  const out = mkdtempSync(path.join(tmpdir(), 'atoll-static-'));
  await generateSite({ root: path.join(REPO_ROOT, 'recipes', 'static-site'), outDir: out, concurrency: 4, ssrTimeoutMs: 5000 });
  staticServer = spawn('python3', ['-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', out], { stdio: ['ignore', 'pipe', 'pipe'] });
  base = await new Promise<string>((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const match = /port (\d+)/.exec(text);
      if (match) resolve(`http://127.0.0.1:${match[1]}`);
    };
    staticServer.stdout!.on('data', onData);
    staticServer.stderr!.on('data', onData);
    staticServer.on('exit', (code) => reject(new Error(`http.server exited with ${code}: ${text}`)));
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  staticServer?.kill();
});

test('a generated page works from a plain static server: the island hydrates, the client-only island renders', async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('response', (r) => r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`));
  await page.goto(`${base}/posts/hello-islands/`);
  expect(await page.title()).toBe('Hello, islands');
  await page.waitForFunction(() => !document.querySelector('like-button')!.hasAttribute('defer-hydration'));
  const like = page.locator('like-button button');
  expect(await like.textContent()).toBe('♥ 13');
  await like.click();
  expect(await like.textContent()).toBe('♥ 14');
  await expect.poll(() => page.locator('reading-time').evaluate((e) => e.shadowRoot?.textContent), { timeout: 15_000 }).toBe('1 min read (9 words)');
  expect(await page.evaluate(() => getComputedStyle(document.body).fontFamily)).toBe('Georgia, serif');
  expect(errors).toEqual([]);
});
