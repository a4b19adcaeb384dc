import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { get } from '../helpers/serve-process.js';
import { REPO_ROOT } from '../helpers/recipe.js';

const groups: number[] = [];
afterEach(() => {
  // Whatever a failed test left behind: end the whole process group.
  for (const pgid of groups.splice(0)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
});

/** True while any process of the group `pgid` exists (signal 0 only checks). */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/**
 * Waits for the group to empty, checking at most `rounds` times with a short pause between. The
 * esbuild service of the build step notices its parent's exit on its own and may outlive npm by a
 * moment; a process that really stays (an orphaned supervisor or worker) fails every round.
 */
async function groupGone(pgid: number, rounds = 100): Promise<boolean> {
  for (let i = 0; i < rounds; i++) {
    if (!groupAlive(pgid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !groupAlive(pgid);
}

/** Resolves with the connect error code, or 'connected' if the port still accepts. */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? String(error)));
  });
}

test.each(['SIGTERM', 'SIGINT'] as const)('%s sent to the npm start process alone drains and ends the supervisor and every worker', async (signal) => {
  // npm, its script and the server share a process group of their own; only npm's pid gets the signal.
  const npm = spawn('npm', ['start', '--silent', '--', '--root', 'recipes/hello', '--port', '0'], {
    cwd: REPO_ROOT,
    env: { ...process.env, NODE_ENV: '', LOG_LEVEL: 'warn', WORKERS: '2' },
    detached: true,
  });
  groups.push(npm.pid!);
  let stdout = '';
  let stderr = '';
  npm.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  npm.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = once(npm, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const url = await new Promise<string>((resolve, reject) => {
    npm.stdout.on('data', () => {
      const match = /Atoll serving .* at (http:\/\/\S+) \(production\)/.exec(stdout);
      if (match) resolve(match[1]!);
    });
    void exited.then(([code]) => reject(new Error(`npm start exited with ${code} before serving: ${stderr}`)));
  });
  expect((await get(url, '/')).status).toBe(200);
  const port = Number(new URL(url).port);

  process.kill(npm.pid!, signal);
  const [code] = await exited;

  expect(stderr).toContain(`${signal}: finishing in-flight requests, then exiting.`);
  expect(code).toBe(0);
  expect(await groupGone(npm.pid!)).toBe(true);
  expect(await tryConnect(port)).toBe('ECONNREFUSED');
});
