import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { REPO_ROOT } from './recipe.js';

/**
 * The supervisor exactly as `npm start` runs it (node --enable-source-maps dist/cli.js serve, built
 * by the global setup), started
 * directly so that signals reach it, in a process group of its own that `stop()` always ends.
 */
export function serveProcess(root: string, env: Record<string, string> = {}) {
  const child: ChildProcess = spawn(process.execPath, ['--enable-source-maps', 'dist/cli.js', 'serve', '--root', root, '--port', '0'], {
    cwd: REPO_ROOT,
    env: { ...process.env, NODE_ENV: '', LOG_LEVEL: 'info', ...env },
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const match = /at (http:\/\/\S+) \(/.exec(stdout);
      if (match) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
  return {
    child,
    ready,
    exited,
    output: () => ({ stdout, stderr }),
    logLines: () => jsonLines(stdout),
    stop: () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    },
  };
}

/** The JSON log lines in a process's stdout (pino writes one object per line). */
export function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** GET over a fresh connection; resolves with status, body and whether the body arrived whole. */
export function get(base: string, path: string): Promise<{ status: number; body: string; complete: boolean }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body, complete: res.complete }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
