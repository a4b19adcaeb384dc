import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { loadApp, type App } from '../app.js';
import { AtollError, atollError, describeThrown } from '../errors.js';
import { renderNotFound, renderRequest } from '../pipeline.js';
import type { PageLog, PageRequest } from '../page-response.js';
import { STAYING_CLIENT } from '../data/page-deadline.js';
import { listPages, type PageToGenerate } from './list-pages.js';
import { outputFile } from './output-file.js';
import { CLIENT_PREFIX } from '../island-protocol.js';
import { inShard, type Shard } from './select-shard.js';
import type { I18nConfig } from '../config/app-config.js';
import { localizedPath } from '../routing/locale-prefix.js';

export interface GenerateOptions {
  readonly root: string;
  /** Default: staticSite.outputDir (site/ in the app). */
  readonly outDir?: string;
  readonly concurrency: number;
  readonly ssrTimeoutMs: number;
  /**
   * Render only this shard's pages (by URL). Island code, assets and 404.html are written by
   * every shard, byte for byte the same, and the folder is not cleaned: shards may share it.
   */
  readonly shard?: Shard;
  /** Called after each page; the CLI draws progress with it. */
  readonly onPage?: (done: number, total: number, url: string) => void;
}

export interface GenerateReport {
  readonly outDir: string;
  readonly pages: number;
  readonly warnings: readonly AtollError[];
}

/**
 * Prerenders an app into a folder any static host can serve, through the same pipeline as the
 * server (renderRequest), so a file equals the server's response for its URL. The folder is
 * cleaned first. Pages render with bounded concurrency and are written as they finish (memory
 * stays flat for any number of pages). The first page that fails (a throw, a timeout, any
 * status but 200) stops the run with ATOLL_GENERATE_PAGE_FAILED, and no file is written for it.
 *
 * Files sit at their URL minus basePath: serve the folder at basePath. With a shard, the pages
 * are checked as a whole (a clash fails every shard alike) and only the shard's are rendered.
 */
export async function generateSite(options: GenerateOptions): Promise<GenerateReport> {
  const app = await loadApp(options.root, {
    mode: 'production',
    ssrTimeoutMs: options.ssrTimeoutMs,
    withoutPageCache: true,
    streamMinChars: Number.POSITIVE_INFINITY,
    deferInline: true,
  });
  const outDir = path.resolve(options.outDir ?? app.config.staticSite.outputDir);
  const fromOut = path.relative(outDir, app.config.root);
  if (fromOut === '' || !fromOut.startsWith('..')) throw atollError('ATOLL_GENERATE_OUTPUT_INVALID', [outDir, app.config.root]);
  const { pages, warnings } = await listPages(app);
  const targets = pages.map((page) => {
    const target = outputFile(page.url);
    if ('error' in target) throw atollError('ATOLL_GENERATE_PATH_INVALID', [page.url, `route "${page.routeId}"`, target.error]);
    return { page, file: path.join(outDir, target.file) };
  });
  const seen = new Map<string, string>();
  for (const { page, file } of targets) {
    const other = seen.get(file);
    if (other !== undefined)
      throw atollError('ATOLL_GENERATE_PATH_INVALID', [page.url, `route "${page.routeId}"`, `would overwrite the file of ${other} (the query is not part of file names)`]);
    seen.set(file, page.url);
  }

  const shard = options.shard;
  const mine = shard === undefined ? targets : targets.filter(({ page }) => inShard(page.url, shard));

  if (shard === undefined) await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await copyStatic(app, outDir);

  let done = 0;
  let failure: AtollError | undefined;
  const queue = mine[Symbol.iterator]();
  const worker = async (): Promise<void> => {
    for (let next = queue.next(); !next.done && failure === undefined; next = queue.next()) {
      const { page, file } = next.value;
      try {
        await writeAtomically(file, await renderPage(app, page));
      } catch (error) {
        failure ??=
          AtollError.is(error) && error.code === 'ATOLL_GENERATE_PAGE_FAILED'
            ? error
            : atollError('ATOLL_GENERATE_PAGE_FAILED', [page.routeId, page.url, describeThrown(error)], { cause: error });
        return;
      }
      options.onPage?.(++done, mine.length, page.url);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  if (failure !== undefined) throw failure;

  for (const { file, locale } of notFoundPages(app.config.i18n)) {
    const notFound = await renderNotFound(app, { ...generateRequest(`/${file}`, capturingLog()), locale });
    await writeAtomically(path.join(outDir, file), notFound.body.toString());
  }
  return { outDir, pages: mine.length, warnings };
}

async function renderPage(app: App, page: PageToGenerate): Promise<string> {
  const log = capturingLog();
  const response = await renderRequest(app, generateRequest(page.url, log));
  if (response.status !== 200) {
    const why =
      log.errors.length > 0 ? log.errors.join('; ') : `the page answered ${response.status}${response.headers['location'] ? ` (redirect to ${response.headers['location']})` : ''}`;
    throw atollError('ATOLL_GENERATE_PAGE_FAILED', [page.routeId, page.url, why]);
  }
  return response.body.toString();
}

/** `404.html` in the default locale, and `<locale>/404.html` for each other one with path-prefix locales. */
function notFoundPages(i18n: I18nConfig): { file: string; locale: string }[] {
  const locales = i18n.uriPattern === 'path-prefix' ? i18n.locales : [i18n.defaultLocale];
  return locales.map((locale) => ({ file: localizedPath(i18n, '/404.html', locale).slice(1), locale }));
}

function generateRequest(url: string, log: PageLog): PageRequest {
  return { method: 'GET', url, headers: {}, client: STAYING_CLIENT, log };
}

/** Keeps the error lines of one page, to name the cause when it fails. */
function capturingLog(): PageLog & { errors: string[] } {
  const errors: string[] = [];
  return {
    errors,
    error: (_object, message) => errors.push(message),
    warn: (_object, message) => console.warn(message),
  };
}

/** The page is written beside its final name and renamed, so a failure never leaves half a file. */
async function writeAtomically(file: string, contents: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, file);
}

/** Island code under _atoll/ and every asset folder under its urlPath (no dotfiles, no symlinks). */
async function copyStatic(app: App, outDir: string): Promise<void> {
  for (const [url, contents] of app.client?.files ?? []) {
    await writeAtomically(path.join(outDir, CLIENT_PREFIX, path.basename(url)), contents);
  }
  // File by file through writeAtomically rather than fs.cp: shards running at once into one
  // folder write the same files, and fs.cp's mkdir fails with EEXIST when it loses that race.
  for (const asset of app.config.assets) {
    let entries;
    try {
      entries = await readdir(asset.dir, { recursive: true, withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    const target = path.join(outDir, ...asset.urlPath.split('/').filter(Boolean));
    for (const entry of entries) {
      const relative = path.relative(asset.dir, path.join(entry.parentPath, entry.name));
      if (!entry.isFile() || relative.split(path.sep).some((segment) => segment.startsWith('.'))) continue;
      await writeAtomically(path.join(target, relative), await readFile(path.join(asset.dir, relative)));
    }
  }
}
