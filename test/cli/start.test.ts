import { spawn, spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { afterEach, expect, test } from 'vitest';
import { REPO_ROOT } from '../helpers/recipe.js';
import { writeApp } from '../helpers/write-app.js';
import { jsonLines } from '../helpers/serve-process.js';

const children: ReturnType<typeof spawn>[] = [];
afterEach(() => {
  // npm, the supervisor and its workers share a process group of their own: end all of them.
  for (const child of children.splice(0)) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
});

/** `npm start -- <args>` as the README runs it; resolves on the "serving" line or on exit. */
function npmStart(args: string[], env: Record<string, string> = {}) {
  const child = spawn('npm', ['start', '--silent', '--', ...args], { cwd: REPO_ROOT, env: { ...process.env, NODE_ENV: '', ...env }, detached: true });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ready = new Promise<{ url?: string; code?: number | null }>((resolve) => {
    child.stdout.on('data', () => {
      const match = /Atoll serving .* at (http:\/\/\S+) \(production\)/.exec(stdout);
      if (match) resolve({ url: match[1]! });
    });
    child.on('exit', (code) => resolve({ code }));
  });
  return { child, ready, output: () => ({ stdout, stderr }) };
}

/** A real HTTP GET with the path sent verbatim. */
function httpGet(url: string, path: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('npm start serves an app over real HTTP in production mode with one log line per request', async () => {
  const started = npmStart(['--root', 'recipes/errors-and-status', '--port', '0'], { LOG_LEVEL: 'info' });
  const { url } = await started.ready;
  expect(url, started.output().stderr).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const ok = await httpGet(url!, '/products/1');
  expect(ok.status).toBe(200);
  expect(ok.body).toContain('Teapot');
  const broken = await httpGet(url!, '/products/broken');
  expect(broken.status).toBe(500);
  expect(broken.body).not.toContain('inventory');
  const raw = await httpGet(url!, '/products/%E0%A4%A');
  expect(raw.status).toBe(400);
  // Lines are written in batches (src/server/request-log.ts): with no more traffic, the periodic
  // flush still writes them, while the server keeps running.
  const requestLines = () => jsonLines(started.output().stdout).filter((l) => l['msg'] === 'request');
  await expect.poll(() => requestLines().length, { timeout: 10_000 }).toBe(3);
  expect(started.child.exitCode).toBeNull();
  const lines = jsonLines(started.output().stdout);
  expect(lines.filter((l) => l['msg'] === 'request').map((l) => [l['routeId'], l['status']])).toEqual([
    ['product', 200],
    ['server-error', 500],
    [undefined, 400],
  ]);
  expect(lines.find((l) => l['code'] === 'ATOLL_DATA_HOOK_FAILED')).toMatchObject({ routeId: 'product', level: 50 });
});

test('SSR_TIMEOUT and LOG_LEVEL come from the environment', async () => {
  const root = writeApp({
    'app.config.json': { routes: [{ id: 'slow', path: '/', contentTemplate: 't.html' }] },
    't.html': '<c-slow></c-slow>',
    'components/c-slow.ts':
      "import { LitElement } from 'lit';\ncustomElements.define('c-slow', class extends LitElement {});\nexport const getServerData = () => new Promise((r) => setTimeout(() => r({}), 400));\n",
  });
  const started = npmStart(['--root', root, '--port', '0'], { SSR_TIMEOUT: '100', LOG_LEVEL: 'warn' });
  const { url } = await started.ready;
  expect((await httpGet(url!, '/')).status).toBe(500);
  await expect.poll(() => jsonLines(started.output().stdout).some((l) => l['code'] === 'ATOLL_DATA_TIMEOUT'), { timeout: 10_000 }).toBe(true);
  // The request line would come right after the error; give a second batch time to be written.
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(started.output().stdout).not.toContain('"msg":"request"');
});

test('an invalid config exits non-zero with every problem and never listens', async () => {
  const root = writeApp({
    'app.config.json': {
      routes: [
        { id: 'a', path: '/', contentTemplte: 'x.html' },
        { id: 'a', path: '/b' },
      ],
    },
  });
  const started = npmStart(['--root', root, '--port', '0']);
  const { code, url } = await started.ready;
  expect(url).toBeUndefined();
  expect(code).toBe(1);
  const { stderr } = started.output();
  expect(stderr).toContain('ATOLL_CONFIG_INVALID');
  expect(stderr).toContain('routes[0].contentTemplte: unknown key — did you mean "contentTemplate"?');
  expect(stderr).toContain('Hint: Fix every listed entry');
});

/** The CLI itself, run once to its exit (no build step: these fail before anything starts). */
function cli(args: string[], env: Record<string, string> = {}) {
  const { SSR_TIMEOUT: _t, PORT: _p, ...inherited } = process.env;
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: REPO_ROOT, env: { ...inherited, ...env }, encoding: 'utf8' });
}

test('an unknown command exits 1 with its code, what was typed and the commands there are', () => {
  const run = cli(['srve', '--root', 'recipes/hello']);
  expect(run.status).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toBe(
    'ATOLL_CLI_UNKNOWN_COMMAND: atoll: unknown command "srve".\nHint: Use one of: serve | dev | check [--browser] | generate | purge --url U (--tag T | --path /p)… [--hard], with [--root DIR] [--port N] [--host H] [--out DIR]; or new DIR.\n',
  );
});

test('a port or SSR_TIMEOUT that is not a whole number exits 1 naming the setting and its value', () => {
  const port = cli(['serve', '--root', 'recipes/hello', '--port=-1']);
  expect(port.status).toBe(1);
  expect(port.stderr).toBe(
    'ATOLL_CLI_NUMBER_INVALID: --port must be a non-negative integer, got "-1".\nHint: Set --port to a whole number (0 picks a free port), or leave it out for the default.\n',
  );
  const timeout = cli(['check', '--root', 'recipes/hello'], { SSR_TIMEOUT: '5s' });
  expect(timeout.status).toBe(1);
  expect(timeout.stderr).toBe(
    'ATOLL_CLI_NUMBER_INVALID: SSR_TIMEOUT must be a positive integer, got "5s".\nHint: Set SSR_TIMEOUT to a whole number of at least 1, or leave it out for the default.\n',
  );
});

test('an unknown option exits 1 with its code, the options given and the ones there are', () => {
  const run = cli(['serve', '--prot', '3000']);
  expect(run.status).toBe(1);
  expect(run.stderr).toMatch(
    /^ATOLL_CLI_ARGUMENTS_INVALID: atoll: the options \["--prot","3000"\] cannot be read: Unknown option '--prot'.*\nHint: The options are --root DIR, --port N, --host H, --out DIR, --browser \(check only\), and --url U, --tag T, --path \/p, --hard \(purge only\); give a value that starts with a dash as --port=VALUE\.\n$/s,
  );
});
