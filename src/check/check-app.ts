import type { App } from '../app.js';
import { loadApp } from '../app.js';
import { listPages, type PageToGenerate } from '../generate/list-pages.js';
import { renderRequest } from '../pipeline.js';
import type { PageLog } from '../page-response.js';
import { STAYING_CLIENT } from '../data/page-deadline.js';

export interface CheckedPage {
  readonly routeId: string;
  readonly url: string;
  readonly status: number;
  readonly ms: number;
  /** Bytes of HTML (streamed pages are counted as they arrive). */
  readonly bytes: number;
  /** Error and warning log lines the page produced, with their codes. */
  readonly problems: readonly string[];
}

export interface CheckReport {
  readonly app: App;
  readonly pages: readonly CheckedPage[];
  /** Routes with parameters and no paths: reported, they do not fail the check. */
  readonly warnings: readonly string[];
  readonly ok: boolean;
}

/**
 * Renders every route through the real pipeline (routes with parameters through
 * staticSite.paths and getStaticPaths, as generate does) and reports status, time and size per
 * URL. A page fails the check on a 5xx (a throw, a timeout, props that are not JSON) or on any
 * error or warning it logs.
 */
export async function checkApp(root: string, ssrTimeoutMs: number): Promise<CheckReport> {
  const app = await loadApp(root, { mode: 'production', ssrTimeoutMs, withoutPageCache: true, deferInline: true });
  const { pages, warnings } = await listPages(app);
  const checked: CheckedPage[] = [];
  for (const page of pages) checked.push(await checkPage(app, page));
  return {
    app,
    pages: checked,
    warnings: warnings.map((w) => `${w.code}: ${w.message}`),
    ok: checked.every((p) => p.status < 500 && p.problems.length === 0),
  };
}

async function checkPage(app: App, page: PageToGenerate): Promise<CheckedPage> {
  const problems: string[] = [];
  const log: PageLog = {
    error: (object, message) => problems.push(`${(object as { code?: string }).code ?? 'error'}: ${message}`),
    warn: (object, message) => problems.push(`${(object as { code?: string }).code ?? 'warning'}: ${message}`),
  };
  const started = performance.now();
  const response = await renderRequest(app, { method: 'GET', url: page.url, headers: {}, client: STAYING_CLIENT, log });
  let bytes = 0;
  if (typeof response.body === 'string' || Buffer.isBuffer(response.body)) {
    bytes = Buffer.byteLength(response.body);
  } else {
    for await (const chunk of response.body) bytes += Buffer.byteLength(chunk as string);
  }
  return { routeId: page.routeId, url: page.url, status: response.status, ms: performance.now() - started, bytes, problems };
}

/** The report as a plain-text table, then every problem in full. */
export function formatCheckReport(report: CheckReport): string {
  const rows = report.pages.map((p) => [p.problems.length > 0 || p.status >= 500 ? 'FAIL' : 'ok', String(p.status), `${p.ms.toFixed(1)} ms`, `${p.bytes} B`, p.routeId, p.url]);
  const header = ['', 'status', 'time', 'size', 'route', 'url'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const out = [line(header), ...rows.map(line)];
  for (const p of report.pages) for (const problem of p.problems) out.push(`\n${p.url}: ${problem}`);
  for (const warning of report.warnings) out.push(`\nwarning ${warning}`);
  out.push(`\n${report.ok ? 'check passed' : 'check FAILED'}: ${report.pages.length} page${report.pages.length === 1 ? '' : 's'}`);
  return out.join('\n');
}
