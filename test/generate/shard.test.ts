import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeAll, expect, test } from 'vitest';
import { generateSite } from '../../src/generate/generate-site.js';
import { inShard, parseShard } from '../../src/generate/select-shard.js';
import { AtollError } from '../../src/errors.js';
import { REPO_ROOT } from '../helpers/recipe.js';
import { litComponent, writeApp } from '../helpers/write-app.js';

const outDir = () => mkdtempSync(path.join(tmpdir(), 'atoll-shard-'));
/** Every file under dir, relative path → bytes. */
const contents = (dir: string): Map<string, Buffer> =>
  new Map(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.join(e.parentPath, e.name))
      .sort()
      .map((file) => [path.relative(dir, file), readFileSync(file)]),
  );
const isPage = (file: string) => file.endsWith('index.html');

let root: string;
let single: Map<string, Buffer>;

beforeAll(async () => {
  root = writeApp({
    'app.config.json': {
      routes: [
        { id: 'home', path: '/', contentTemplate: 'home.html' },
        { id: 'item', path: '/items/:n', contentTemplate: 'item.html' },
      ],
    },
    'home.html': '<h1>Items</h1><s-counter hydrate></s-counter>',
    'item.html': '<s-item></s-item><s-counter hydrate></s-counter>',
    'components/s-item.ts': litComponent('s-item', {
      properties: 'n: { type: String }',
      render: '<p>Item ${this.n}</p>',
      extra:
        'export const getServerData = ({ params }) => ({ props: { n: params.n } });\nexport const getStaticPaths = () => Array.from({ length: 40 }, (_, i) => ({ n: String(i + 1) }));',
    }),
    'components/s-counter.ts': litComponent('s-counter', { properties: 'count: { type: Number }', render: '<button>${this.count ?? 0}</button>' }),
    'public/site.css': 'body { margin: 0 }',
  });
  const out = outDir();
  await generateSite({ root, outDir: out, concurrency: 4, ssrTimeoutMs: 5000 });
  single = contents(out);
  expect([...single.keys()].filter(isPage)).toHaveLength(41);
});

test('four shards render each page exactly once, write island code, assets and 404.html identically, and merged equal a single run byte for byte', async () => {
  const shards: Map<string, Buffer>[] = [];
  for (let index = 1; index <= 4; index++) {
    const out = outDir();
    const report = await generateSite({ root, outDir: out, shard: { index, count: 4 }, concurrency: 4, ssrTimeoutMs: 5000 });
    shards.push(contents(out));
    expect(report.pages).toBe([...shards[index - 1]!.keys()].filter(isPage).length);
  }
  const merged = new Map<string, Buffer>();
  for (const shard of shards) {
    for (const [file, bytes] of shard) {
      const earlier = merged.get(file);
      if (earlier !== undefined) {
        expect(isPage(file), `${file} written by two shards`).toBe(false);
        expect(bytes.equals(earlier), `${file} differs between shards`).toBe(true);
      }
      merged.set(file, bytes);
    }
  }
  // Every shard has some pages (40 URLs hashed into 4 parts), and each wrote every non-page file.
  for (const shard of shards) {
    expect([...shard.keys()].filter(isPage).length).toBeGreaterThan(0);
    expect([...shard.keys()].filter((f) => !isPage(f))).toEqual([...single.keys()].filter((f) => !isPage(f)));
  }
  expect([...single.keys()].some((f) => f.startsWith('_atoll/'))).toBe(true);
  expect([...merged.keys()].sort()).toEqual([...single.keys()]);
  for (const [file, bytes] of single) expect(merged.get(file)!.equals(bytes), file).toBe(true);
});

test('shards running at once into one shared folder leave it equal to a single run', async () => {
  const out = outDir();
  await Promise.all([1, 2, 3].map((index) => generateSite({ root, outDir: out, shard: { index, count: 3 }, concurrency: 2, ssrTimeoutMs: 5000 })));
  const shared = contents(out);
  expect([...shared.keys()]).toEqual([...single.keys()]);
  for (const [file, bytes] of single) expect(shared.get(file)!.equals(bytes), file).toBe(true);
});

test('the split depends on the URL alone: every URL is in exactly one shard, for any count', () => {
  const urls = [...single.keys()].filter(isPage).map((f) => `/${path.dirname(f)}`.replace(/^\/\.$/, '/'));
  for (let count = 1; count <= 9; count++) {
    for (const url of urls) expect(Array.from({ length: count }, (_, i) => inShard(url, { index: i + 1, count })).filter(Boolean)).toHaveLength(1);
  }
  expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
  for (const bad of ['0/4', '5/4', '2/0', '2', '2/4/1', ' 2/4', '-1/4', '1.5/4', '1/2000']) {
    try {
      parseShard(bad);
      throw new Error(`accepted ${bad}`);
    } catch (error) {
      expect(AtollError.is(error) && error.code, bad).toBe('ATOLL_GENERATE_SHARD_INVALID');
    }
  }
});

test('npm run generate -- --shard: the CLI renders the shard and names it; a bad value is the catalog error', () => {
  const out = outDir();
  const ok = spawnSync('npm', ['run', 'generate', '--silent', '--', '--root', root, '--out', out, '--shard', '2/4'], { cwd: REPO_ROOT, encoding: 'utf8' });
  expect(ok.status, ok.stderr).toBe(0);
  const pages = [...contents(out).keys()].filter(isPage).length;
  expect(ok.stdout).toMatch(new RegExp(`^Generated ${pages} pages? \\(shard 2/4\\) and 404\\.html into ${out} in \\d+\\.\\d s\\n$`));
  const bad = spawnSync('npm', ['run', 'generate', '--silent', '--', '--root', root, '--out', out, '--shard', '5/4'], { cwd: REPO_ROOT, encoding: 'utf8' });
  expect(bad.status).toBe(1);
  expect(bad.stderr).toContain('ATOLL_GENERATE_SHARD_INVALID: --shard must be i/n with 1 ≤ i ≤ n ≤ 1024, got "5/4".');
});
