import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { REPO_ROOT } from '../helpers/recipe.js';
import { get, serveProcess } from '../helpers/serve-process.js';

const servers: ReturnType<typeof serveProcess>[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.stop();
});

test('a serving worker keeps no esbuild process once the app is compiled', async () => {
  const server = serveProcess(path.join(REPO_ROOT, 'recipes', 'islands'));
  servers.push(server);
  const url = await server.ready;
  expect((await get(url, '/')).status).toBe(200);
  const group = execFileSync('ps', ['-o', 'args=', '-g', String(server.child.pid)], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  expect(group.filter((args) => args.includes('dist/cli.js serve'))).toHaveLength(2); // supervisor and worker
  expect(group.filter((args) => args.includes('esbuild'))).toEqual([]);
});
