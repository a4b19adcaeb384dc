import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createClient, RESP_TYPES } from '@redis/client';

/** A free TCP port on 127.0.0.1 (asked of the OS, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A real redis-server (the Debian package, /usr/bin/redis-server) on its own port, without
 * persistence; DEBUG is allowed from localhost so tests can make it slow (DEBUG SLEEP).
 * `start()` resolves once it accepts connections; `kill()` ends it at once (SIGKILL, as a
 * crash would); `start()` again brings it back on the same port, empty.
 */
export function redisServer(port: number) {
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    const started = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--enable-debug-command', 'local'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      started.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) resolve();
      });
      started.on('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
      started.on('error', reject);
    });
  };
  const kill = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  return { url: `redis://127.0.0.1:${port}`, port, start, kill };
}

/** A plain client for the test to look into Redis. */
export async function redisClient(url: string) {
  const client = createClient({ url }).withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
  client.on('error', () => {});
  await client.connect();
  return client;
}
