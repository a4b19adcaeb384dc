import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from 'vitest';
import { loadApp } from '../../src/app.js';
import { serveApp } from '../../src/server/create-server.js';
import { REPO_ROOT } from '../helpers/recipe.js';
import { litComponent, writeApp } from '../helpers/write-app.js';

// The Redis client is loaded only when a Redis URL is set (create-server.ts). Each case runs
// createServer in a child process with a module-resolution hook, the one way to see which
// packages a process loads: the hook records every specifier, and can make @redis/client
// unresolvable, as a deployment without it would be.

const root = writeApp({
  'app.config.json': { routes: [{ id: 'home', path: '/', contentTemplate: 'home.html' }] },
  'home.html': '<r-home></r-home>',
  'components/r-home.ts': litComponent('r-home', { render: '<p>home</p>' }),
});
const src = pathToFileURL(path.join(REPO_ROOT, 'src', 'server', 'create-server.ts')).href;

function runChild(redisUrl: string | undefined, redisMissing: boolean): { loaded: string[]; outcome: string } {
  const hooks = path.join(root, 'hooks.mjs');
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  appendFileSync(process.env.SPECIFIERS_FILE, specifier + '\\n');
  if (specifier === '@redis/client' && process.env.REDIS_MISSING === '1') {
    throw Object.assign(new Error("Cannot find package '@redis/client'"), { code: 'ERR_MODULE_NOT_FOUND' });
  }
  return next(specifier, context);
}`,
  );
  const register = path.join(root, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  const script = path.join(root, 'start.mts');
  writeFileSync(
    script,
    `import { createServer } from ${JSON.stringify(src)};
try {
  const server = await createServer({ root: ${JSON.stringify(root)}, mode: 'production', logLevel: 'silent', redis: { url: ${JSON.stringify(redisUrl)}, prefix: 'atoll-load:' } });
  await server.close();
  console.log('started');
} catch (error) {
  console.log('rejected ' + error.code + ': ' + error.message.split('\\n')[0]);
}`,
  );
  const specifiers = path.join(root, `specifiers-${redisUrl === undefined ? 'none' : 'url'}-${redisMissing}.txt`);
  writeFileSync(specifiers, '');
  const outcome = execFileSync(process.execPath, ['--import', 'tsx', '--import', register, script], {
    encoding: 'utf8',
    env: { ...process.env, SPECIFIERS_FILE: specifiers, REDIS_MISSING: redisMissing ? '1' : '0', REDIS_URL: '' },
  }).trim();
  return { loaded: readFileSync(specifiers, 'utf8').split('\n'), outcome };
}

test('without a Redis URL the server starts and never resolves the Redis client', () => {
  const { loaded, outcome } = runChild(undefined, false);
  expect(outcome).toBe('started');
  expect(loaded.some((s) => s.endsWith('create-server.ts'))).toBe(true);
  expect(loaded.filter((s) => s.includes('redis'))).toEqual([]);
});

test('with a Redis URL and no Redis client, startup fails with a coded error that names the import', () => {
  const { loaded, outcome } = runChild('redis://127.0.0.1:1', true);
  expect(loaded).toContain('@redis/client');
  expect(outcome).toBe("rejected ATOLL_REDIS_CLIENT_MISSING: A Redis URL is set, but the Redis client is not there: Cannot find package '@redis/client'.");
});

test('serveApp given a Redis URL without connectRedis refuses before building a server', async () => {
  const app = await loadApp(root, { mode: 'production', ssrTimeoutMs: 5000 });
  expect(() => serveApp(app, { logLevel: 'silent', redis: { url: 'redis://127.0.0.1:1', prefix: 'atoll-load:' } })).toThrow(
    expect.objectContaining({ code: 'ATOLL_REDIS_CLIENT_MISSING', message: expect.stringContaining('serveApp was given a Redis URL without connectRedis') }),
  );
});
