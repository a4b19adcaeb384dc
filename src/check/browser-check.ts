import { existsSync } from 'node:fs';
import { loadApp } from '../app.js';
import { serveApp } from '../server/create-server.js';
import { DEFER_HYDRATION } from '../island-protocol.js';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/**
 * `check --browser`: serves the app in development mode (so the runtime reports hydration
 * mismatches) on a free local port and loads every page in Chromium (CHROMIUM_PATH, default
 * Debian's /usr/bin/chromium), scrolled to the bottom so visible islands start. A page fails
 * on any console error, uncaught error or failed request.
 */
export async function checkInBrowser(root: string, urls: readonly string[], ssrTimeoutMs: number): Promise<{ ok: boolean; text: string }> {
  const executablePath = process.env['CHROMIUM_PATH'] ?? DEFAULT_CHROMIUM;
  if (!existsSync(executablePath)) return { ok: false, text: `check --browser: no Chromium at ${executablePath}; apt-get install chromium, or set CHROMIUM_PATH` };
  const { chromium } = await import('playwright-core');
  const app = await loadApp(root, { mode: 'development', ssrTimeoutMs, withoutPageCache: true });
  const server = serveApp(app, { logLevel: 'silent' });
  const base = await server.listen({ port: 0, host: '127.0.0.1' });
  const browser = await chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const lines: string[] = [];
  let ok = true;
  try {
    for (const url of urls) {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (message) => message.type() === 'error' && problems.push(`console error: ${message.text()}`));
      page.on('pageerror', (error) => problems.push(`uncaught: ${String(error)}`));
      page.on('response', (response) => response.status() >= 400 && !response.url().endsWith('/favicon.ico') && problems.push(`${response.status()} ${response.url()}`));
      await page.goto(base + app.config.basePath + url, { waitUntil: 'load' });
      await page.mouse.wheel(0, 100_000);
      await page.waitForLoadState('networkidle');
      await page.waitForFunction((name) => document.querySelectorAll(`[${name}]`).length === 0, DEFER_HYDRATION, { timeout: 5000 }).catch(() => problems.push('islands still waiting to hydrate after 5 s'));
      const real = problems.filter((p) => !p.startsWith('console error: Failed to load resource'));
      ok &&= real.length === 0;
      lines.push(`${real.length === 0 ? 'ok  ' : 'FAIL'}  ${url}${real.map((p) => `\n      ${p}`).join('')}`);
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return { ok, text: `\nIn Chromium:\n${lines.join('\n')}\n\n${ok ? 'browser check passed' : 'browser check FAILED'}` };
}
