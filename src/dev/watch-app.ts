import { fork, type ChildProcess } from 'node:child_process';
import { watch } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DevMessage } from './dev-server.js';

const HERE = fileURLToPath(import.meta.url);
/** The CLI beside this module: src/cli.ts under tsx, or dist/cli.js in the build (`npm run build`). */
const CLI = path.resolve(path.dirname(HERE), '..', `cli${path.extname(HERE)}`);
const EXEC_ARGV = path.extname(HERE) === '.ts' ? ['--import', 'tsx'] : [];
const DEBOUNCE_MS = 80;
const IGNORED = /(^|[/\\])(node_modules|\.git|site)([/\\]|$)|(^|[/\\])\.[^/\\]*$/;

/**
 * The watching half of `npm run dev`: runs the dev server in a child process and watches the app
 * folder. Changes under components/ restart the child (new component code needs a fresh module
 * context); any other change (app.config.json, templates, assets) makes the child reload the
 * app in place. A child that dies is started again; the watcher itself never stops on an error.
 */
export function watchApp(args: { root: string; port: number; host: string }): void {
  let child: ChildProcess | undefined;
  let stopping = false;
  let restarting = false;
  const start = (): void => {
    child = fork(CLI, ['dev-server', '--root', args.root, '--port', String(args.port), '--host', args.host], {
      execArgv: EXEC_ARGV,
      env: { ...process.env, NODE_ENV: 'development' },
    });
    child.on('exit', (code, signal) => {
      if (stopping) return;
      if (restarting) {
        restarting = false;
        start();
        return;
      }
      console.error(`Atoll dev: the server exited (${code ?? signal}); starting it again.`);
      setTimeout(start, 500);
    });
  };

  const restart = (): void => {
    if (child === undefined || child.exitCode !== null) {
      start();
      return;
    }
    restarting = true;
    child.kill('SIGTERM');
  };

  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  watch(args.root, { recursive: true }, (_event, file) => {
    if (file === null || IGNORED.test(file)) return;
    pending.add(file);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const files = [...pending];
      pending = new Set();
      console.error(`Atoll dev: changed ${files.join(', ')}`);
      if (files.some((f) => f.split(/[/\\]/)[0] === 'components')) restart();
      else child?.send({ type: 'atoll:reload', files } satisfies DevMessage);
    }, DEBOUNCE_MS);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      stopping = true;
      child?.kill('SIGTERM');
      process.exit(0);
    });
  }
  start();
}
