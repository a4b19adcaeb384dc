import { parseArgs } from 'node:util';
import { createServer } from './server/create-server.js';
import { AtollError } from './errors.js';
import { generateSite } from './generate/generate-site.js';
import { progressReporter } from './generate/progress-reporter.js';

/** `serve` | `generate`: argument and environment parsing only; the work is in src/server and src/generate. */
async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: { root: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, out: { type: 'string' } },
    strict: true,
  });
  if (command === 'generate') {
    process.env['NODE_ENV'] ??= 'production';
    const progress = progressReporter(process.stdout);
    const report = await generateSite({
      root: values.root ?? process.cwd(),
      ...(values.out === undefined ? {} : { outDir: values.out }),
      concurrency: 8,
      ssrTimeoutMs: positiveInt('SSR_TIMEOUT', process.env['SSR_TIMEOUT'] ?? '5000'),
      onPage: progress.page,
    });
    progress.done();
    for (const warning of report.warnings) console.warn(`warning ${warning.code}: ${warning.message}\n  Hint: ${warning.hint}`);
    console.log(`Generated ${report.pages} page${report.pages === 1 ? '' : 's'} and 404.html into ${report.outDir} in ${progress.elapsed()}`);
    return;
  }
  if (command !== 'serve') throw new Error(`Unknown command "${command ?? ''}". Use: serve [--root DIR] [--port N] [--host H] | generate [--root DIR] [--out DIR]`);
  const mode = process.env['NODE_ENV'] === 'development' ? 'development' : 'production';
  process.env['NODE_ENV'] ??= 'production';
  const server = await createServer({
    root: values.root ?? process.cwd(),
    mode,
    ssrTimeoutMs: positiveInt('SSR_TIMEOUT', process.env['SSR_TIMEOUT'] ?? '5000'),
    logLevel: process.env['LOG_LEVEL'] ?? 'info',
  });
  const port = positiveInt('--port', values.port ?? process.env['PORT'] ?? '3000', true);
  const address = await server.listen({ port, host: values.host ?? '127.0.0.1' });
  console.log(`Atoll serving ${values.root ?? process.cwd()} at ${address} (${mode})`);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      server.log.info({ signal }, 'shutting down: finishing in-flight requests');
      server.close().then(() => process.exit(0), (error: unknown) => {
        server.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
      process.once(signal, () => process.exit(1));
    });
  }
}

function positiveInt(name: string, text: string, allowZero = false): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) throw new Error(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got "${text}"`);
  return value;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (AtollError.is(error)) console.error(`${error.code}: ${error.message}\nHint: ${error.hint}`);
  else console.error(error);
  process.exit(1);
});
