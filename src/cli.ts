#!/usr/bin/env node
import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import { AtollError, atollError, describeThrown } from './errors.js';

// Each process imports only what it runs: the supervisor stays small (no Lit, no fastify).

/** The `atoll` command (package.json bin): argument and environment parsing only; the work is in the stage modules. */
async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseOptions(rest, command === 'new');
  if (command === 'new') {
    if (positionals.length !== 1) throw atollError('ATOLL_NEW_TARGET_MISSING', [positionals]);
    const { scaffoldApp } = await import('./scaffold/scaffold-app.js');
    const written = scaffoldApp(positionals[0]!);
    // Quoted for a POSIX shell when it holds anything but plain path characters, so the line can be pasted.
    const shown = /^[\w./-]+$/.test(positionals[0]!) ? positionals[0]! : `'${positionals[0]!.replaceAll("'", `'\\''`)}'`;
    const cd = written.dir === process.cwd() ? '' : `  cd ${shown}\n`;
    console.log(`Created an Atoll app in ${written.dir} (${written.files.length} files). Next:\n${cd}  npm install\n  npx atoll dev`);
    return;
  }
  const root = values.root ?? process.cwd();
  const ssrTimeoutMs = positiveInt('SSR_TIMEOUT', process.env['SSR_TIMEOUT'] ?? '5000');
  if (command === 'generate') {
    process.env['NODE_ENV'] ??= 'production';
    const { generateSite } = await import('./generate/generate-site.js');
    const { progressReporter } = await import('./generate/progress-reporter.js');
    const progress = progressReporter(process.stdout);
    const { parseShard } = await import('./generate/select-shard.js');
    const shard = values.shard === undefined ? {} : { shard: parseShard(values.shard) };
    const report = await generateSite({ root, ...(values.out === undefined ? {} : { outDir: values.out }), ...shard, concurrency: 8, ssrTimeoutMs, onPage: progress.page });
    progress.done();
    for (const warning of report.warnings) console.warn(`warning ${warning.code}: ${warning.message}\n  Hint: ${warning.hint}`);
    const part = values.shard === undefined ? '' : ` (shard ${values.shard})`;
    console.log(`Generated ${report.pages} page${report.pages === 1 ? '' : 's'}${part} and 404.html into ${report.outDir} in ${progress.elapsed()}`);
    return;
  }
  if (command === 'purge') {
    const token = process.env['ATOLL_PURGE_TOKEN'];
    if (values.url === undefined || token === undefined || (values.tag === undefined && values.path === undefined)) {
      throw atollError('ATOLL_PURGE_ARGUMENTS_MISSING', [
        { url: values.url !== undefined, target: values.tag !== undefined || values.path !== undefined, token: token !== undefined },
      ]);
    }
    const { purgeRemote } = await import('./server/purge-remote.js');
    const purged = await purgeRemote({ url: values.url, token, tags: values.tag ?? [], paths: values.path ?? [], hard: values.hard === true });
    console.log(`Purged ${purged} entr${purged === 1 ? 'y' : 'ies'}${values.hard === true ? '' : ' (soft: served stale while one refresh runs)'}`);
    return;
  }
  if (command === 'check') {
    const { checkApp, formatCheckReport } = await import('./check/check-app.js');
    const report = await checkApp(root, ssrTimeoutMs);
    console.log(formatCheckReport(report));
    let ok = report.ok;
    if (values.browser === true) {
      const { checkInBrowser } = await import('./check/browser-check.js');
      const browser = await checkInBrowser(
        root,
        report.pages.filter((p) => p.status < 400).map((p) => p.url),
        ssrTimeoutMs,
      );
      console.log(browser.text);
      ok &&= browser.ok;
    }
    process.exitCode = ok ? 0 : 1;
    return;
  }
  if (command === 'dev' || command === 'dev-server') {
    const listen = { port: positiveInt('--port', values.port ?? process.env['PORT'] ?? '3000', true), host: values.host ?? '127.0.0.1' };
    if (command === 'dev') {
      const { watchApp } = await import('./dev/watch-app.js');
      watchApp({ root, ...listen });
    } else {
      const { runDevServer } = await import('./dev/dev-server.js');
      await runDevServer({ root, ...listen, ssrTimeoutMs, logLevel: process.env['LOG_LEVEL'] ?? 'info' });
    }
    return;
  }
  if (command !== 'serve') throw atollError('ATOLL_CLI_UNKNOWN_COMMAND', [command ?? '']);
  const mode = process.env['NODE_ENV'] === 'development' ? 'development' : 'production';
  process.env['NODE_ENV'] ??= 'production';
  const listen = { port: positiveInt('--port', values.port ?? process.env['PORT'] ?? '3000', true), host: values.host ?? '127.0.0.1' };
  if (cluster.isPrimary) {
    const { supervise } = await import('./server/supervise.js');
    supervise({
      workers: positiveInt('WORKERS', process.env['WORKERS'] ?? '1'),
      onReady: (address) => console.log(`Atoll serving ${root} at ${address} (${mode})`),
      log: (line) => console.error(line),
    });
    return;
  }
  const { runWorker } = await import('./server/run-worker.js');
  const purgeToken = process.env['ATOLL_PURGE_TOKEN'];
  await runWorker({ root, mode, ssrTimeoutMs, logLevel: process.env['LOG_LEVEL'] ?? 'info', ...(purgeToken === undefined ? {} : { purgeToken }) }, listen);
}

/** `new` takes its folder as a positional argument; every other command takes options only. */
function parseOptions(args: string[], allowPositionals: boolean) {
  try {
    return parseArgs({
      args,
      allowPositionals,
      options: {
        root: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        out: { type: 'string' },
        shard: { type: 'string' },
        browser: { type: 'boolean' },
        url: { type: 'string' },
        tag: { type: 'string', multiple: true },
        path: { type: 'string', multiple: true },
        hard: { type: 'boolean' },
      },
      strict: true,
    });
  } catch (error) {
    // node:util's own errors (unknown option, missing value) carry an ERR_PARSE_ARGS_* code.
    if (!String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS_')) throw error;
    throw atollError('ATOLL_CLI_ARGUMENTS_INVALID', [args, describeThrown(error)], { cause: error });
  }
}

function positiveInt(name: string, text: string, allowZero = false): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) throw atollError('ATOLL_CLI_NUMBER_INVALID', [name, text, allowZero]);
  return value;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (AtollError.is(error)) console.error(`${error.code}: ${error.message}\nHint: ${error.hint}`);
  else console.error(error);
  process.exit(1);
});
