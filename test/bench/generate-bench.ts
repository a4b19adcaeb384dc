/**
 * Benchmark (not a test): time and peak memory of `generate` for N pages.
 *   node --import tsx test/bench/generate-bench.ts 1000 10000
 * Each size runs in a fresh child process so that its peak RSS is its own. Prints one JSON line
 * per size: pages, seconds, pages/s, peak RSS and RSS sampled every 10% of the run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSite } from '../../src/generate/generate-site.js';
import { writeApp } from '../helpers/write-app.js';

const self = fileURLToPath(import.meta.url);

function benchApp(pages: number): string {
  return writeApp({
    'app.config.json': { routes: [{ id: 'item', path: '/items/:id', contentTemplate: 'item.html', layoutTemplate: 'layout.html' }] },
    'layout.html':
      '<!DOCTYPE html>\n<html lang="{{ page.locale }}">\n<head>\n<meta charset="utf-8">\n<title>{{ page.title }}</title>\n</head>\n<body>\n{{{ body }}}\n</body>\n</html>\n',
    'item.html': '<bench-header></bench-header><bench-item></bench-item>',
    'components/bench-header.ts':
      "import { LitElement, html } from 'lit';\ncustomElements.define('bench-header', class extends LitElement { render() { return html`<header>Bench</header>`; } });\n",
    'components/bench-item.ts': `import { LitElement, html } from 'lit';
customElements.define('bench-item', class extends LitElement {
  static properties = { id: {}, rows: { attribute: false } };
  render() { return html\`<h1>Item \${this.id}</h1><ul>\${this.rows.map((r) => html\`<li>\${r.name}: \${r.price}</li>\`)}</ul>\`; }
});
export const getStaticPaths = () => Array.from({ length: ${pages} }, (_, i) => ({ id: String(i) }));
export async function getServerData({ params }) {
  return { props: { id: params.id, rows: Array.from({ length: 20 }, (_, i) => ({ name: 'Row ' + i, price: (i * 3.7).toFixed(2) })) }, markup: { title: 'Item ' + params.id } };
}
`,
  });
}

async function child(pages: number): Promise<void> {
  const root = benchApp(pages);
  const samples: number[] = [];
  const started = performance.now();
  await generateSite({
    root,
    outDir: mkdtempSync(path.join(tmpdir(), 'atoll-bench-site-')),
    concurrency: 8,
    ssrTimeoutMs: 5000,
    onPage: (done, total) => {
      if (done % Math.max(1, Math.floor(total / 10)) === 0) samples.push(Math.round(process.memoryUsage().rss / 2 ** 20));
    },
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    JSON.stringify({
      pages,
      seconds: +seconds.toFixed(2),
      pagesPerSecond: Math.round(pages / seconds),
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      rssSamplesMB: samples,
      node: process.version,
    }),
  );
}

if (process.argv[2] === '--child') {
  await child(Number(process.argv[3]));
} else {
  for (const pages of process.argv.slice(2).map(Number)) {
    const run = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', String(pages)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    process.stdout.write(run.stdout);
  }
}
