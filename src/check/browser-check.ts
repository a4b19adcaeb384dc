import { existsSync } from 'node:fs';
import { loadApp } from '../app.js';
import { serveApp } from '../server/create-server.js';
import { TOOL_SERVER_OVERLOAD } from '../server/overload.js';
import { HYDRATE_ATTRIBUTE, HYDRATION_CHECKED_ATTRIBUTE, ISLAND_ATTRIBUTE, mediaQuery, type HydrateMode } from '../island-protocol.js';

const INTERACTION: HydrateMode = 'interaction';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/**
 * `check --browser`: serves the app in development mode (so the runtime reports hydration
 * mismatches) on a free local port and loads every page in Chromium (CHROMIUM_PATH, default
 * Debian's /usr/bin/chromium), scrolled to the bottom so visible islands start, with a focusin
 * on every `interaction` island so it wakes. It waits until every island has started and had its
 * mismatch check (the runtime marks it), except `media(…)` islands whose query does not match
 * this window, which are listed as not checked. A page fails on any console error, uncaught error
 * or failed request, or an island that does not start.
 */
export async function checkInBrowser(root: string, urls: readonly string[], ssrTimeoutMs: number): Promise<{ ok: boolean; text: string }> {
  const executablePath = process.env['CHROMIUM_PATH'] ?? DEFAULT_CHROMIUM;
  if (!existsSync(executablePath)) return { ok: false, text: `check --browser: no Chromium at ${executablePath}; apt-get install chromium, or set CHROMIUM_PATH` };
  const { chromium } = await import('playwright-core');
  const app = await loadApp(root, { mode: 'development', ssrTimeoutMs, withoutPageCache: true, deferInline: true });
  const server = serveApp(app, { logLevel: 'silent', overload: TOOL_SERVER_OVERLOAD });
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
      const islands = await page.evaluate(
        ([island, hydrate, interaction]) =>
          [...document.querySelectorAll(`[${island}]`)].map((e) => {
            if (e.getAttribute(hydrate) === interaction) e.dispatchEvent(new FocusEvent('focusin', { bubbles: true, composed: true }));
            return { id: e.getAttribute(island)!, tag: e.localName, hydrate: e.getAttribute(hydrate) ?? '' };
          }),
        [ISLAND_ATTRIBUTE, HYDRATE_ATTRIBUTE, INTERACTION] as const,
      );
      const due = await page.evaluate(
        (list) => list.filter(({ query }) => query === undefined || matchMedia(query).matches).map(({ id }) => id),
        islands.map(({ id, hydrate }) => ({ id, query: mediaQuery(hydrate) })),
      );
      await page.waitForLoadState('networkidle');
      await page
        .waitForFunction(
          ([ids, island, checked]) => ids.every((id) => document.querySelector(`[${island}="${id}"]`)?.hasAttribute(checked) === true),
          [due, ISLAND_ATTRIBUTE, HYDRATION_CHECKED_ATTRIBUTE] as const,
          { timeout: 5000 },
        )
        .catch(() => problems.push('islands still waiting to hydrate after 5 s'));
      const real = problems.filter((p) => !p.startsWith('console error: Failed to load resource'));
      const waiting = islands
        .filter(({ id }) => !due.includes(id))
        .map(({ tag, hydrate }) => `\n      not checked: <${tag} ${HYDRATE_ATTRIBUTE}=${JSON.stringify(hydrate)}>, its query does not match this window`);
      ok &&= real.length === 0;
      lines.push(`${real.length === 0 ? 'ok  ' : 'FAIL'}  ${url}${real.map((p) => `\n      ${p}`).join('')}${waiting.join('')}`);
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return { ok, text: `\nIn Chromium:\n${lines.join('\n')}\n\n${ok ? 'browser check passed' : 'browser check FAILED'}` };
}
