import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { request } from 'node:http';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { REPO_ROOT } from '../helpers/recipe.js';
import { litComponent, writeApp } from '../helpers/write-app.js';

/** A free port chosen up front: the dev server restarts on component edits and binds it again. */
const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

const root = writeApp({
  'app.config.json': {
    routes: [
      { id: 'home', path: '/', contentTemplate: 'home.html' },
      { id: 'streamed', path: '/streamed', contentTemplate: 'streamed.html' },
    ],
  },
  'home.html': '<h1>Version one</h1><d-greeting></d-greeting>',
  'streamed.html': '<h1>Streamed</h1><d-late defer><p slot="fallback">Loading</p></d-late>',
  'components/d-greeting.ts': litComponent('d-greeting', { render: '<p>hello from v1</p>' }),
  'components/d-late.ts': litComponent('d-late', {
    properties: 'text: {}',
    render: '<i>${this.text}</i>',
    extra: "export const getServerData = async () => { await new Promise((r) => setImmediate(r)); return { props: { text: 'late' } }; };",
  }),
});
const RELOAD_CLIENT = '<script type="module">const s=new EventSource("/_atoll/dev-events");';
let port: number;
let stop: () => void;
let output = '';
const events: string[] = [];

const get = async (urlPath: string) => {
  const response = await fetch(`http://127.0.0.1:${port}${urlPath}`);
  return { status: response.status, body: await response.text() };
};
const edit = (file: string, change: (text: string) => string) => writeFileSync(path.join(root, file), change(readFileSync(path.join(root, file), 'utf8')));

beforeAll(async () => {
  port = await freePort();
  const child = spawn('npm', ['run', 'dev', '--silent', '--', '--root', root, '--port', String(port)], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn' },
    detached: true,
  });
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  stop = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  };
  for (let waited = 0; !output.includes('Atoll dev server at'); waited += 100) {
    if (waited > 20_000) throw new Error(`the dev server did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // A server-sent events client, as the page's live-reload script uses.
  const listen = () => {
    const req = request({ host: '127.0.0.1', port, path: '/_atoll/dev-events' }, (res) => {
      res.on('data', (c: Buffer) => events.push(...c.toString().split('\n\n').filter(Boolean)));
      // A restarted server resets the connection: reconnect as EventSource does.
      res.on('error', () => undefined);
      res.on('close', () => setTimeout(listen, 200));
    });
    req.on('error', () => setTimeout(listen, 200));
    req.end();
  };
  listen();
}, 30_000);
afterAll(() => stop());

test('pages carry the live-reload client in development', async () => {
  const { body } = await get('/');
  expect(body).toContain('<h1>Version one</h1>');
  expect(body).toContain('new EventSource("/_atoll/dev-events")');
  // Once, right before </body>.
  expect(body.split(RELOAD_CLIENT)).toHaveLength(2);
  expect(body).toMatch(/<script type="module">const s=new EventSource\("\/_atoll\/dev-events"\);[^\n]*<\/script>\n<\/body>\n<\/html>\n?$/);
});

test('a streamed page (deferred roots) carries the live-reload client once, before </body> after its fills', async () => {
  // Read uncompressed, chunk by chunk, as the browser gets it.
  const { body, encoding } = await new Promise<{ body: string; encoding: string | undefined }>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/streamed' }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ body: text, encoding: res.headers['transfer-encoding'] }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
  // Sent as a stream (no length known up front), not as one string.
  expect(encoding).toBe('chunked');
  expect(body).toContain('<p slot="fallback">Loading</p>');
  expect(body).toContain('<template data-atoll-fill="0">');
  expect(body.split(RELOAD_CLIENT)).toHaveLength(2);
  expect(body.indexOf(RELOAD_CLIENT)).toBeGreaterThan(body.indexOf('<script>atollFill()</script>'));
  expect(body).toMatch(/<script>atollFill\(\)<\/script>\n<script type="module">const s=new EventSource\("\/_atoll\/dev-events"\);[^\n]*<\/script>\n<\/body>\n<\/html>\n?$/);
});

test('a template edit is served at once and every open tab is told to reload', async () => {
  const before = events.filter((e) => e.startsWith('event: reload')).length;
  edit('home.html', (t) => t.replace('Version one', 'Version two'));
  await expect.poll(async () => (await get('/')).body, { timeout: 10_000 }).toContain('<h1>Version two</h1>');
  await expect.poll(() => events.filter((e) => e.startsWith('event: reload')).length, { timeout: 5000 }).toBeGreaterThan(before);
});

test('a config edit adds a route', async () => {
  writeFileSync(path.join(root, 'about.html'), '<p>About us</p>');
  edit('app.config.json', (t) => JSON.stringify({ routes: [...JSON.parse(t).routes, { id: 'about', path: '/about', contentTemplate: 'about.html' }] }));
  await expect.poll(async () => (await get('/about').catch(() => ({ status: 0, body: '' }))).status, { timeout: 10_000 }).toBe(200);
});

test('a component edit renders the new code on the server and reconnecting tabs reload', async () => {
  const hellos = () => new Set(events.filter((e) => e.startsWith('event: hello')).map((e) => e.split('data: ')[1])).size;
  const before = hellos();
  edit('components/d-greeting.ts', (t) => t.replace('hello from v1', 'hello from v2'));
  await expect.poll(async () => (await get('/').catch(() => ({ status: 0, body: '' }))).body, { timeout: 20_000 }).toContain('hello from v2');
  await expect.poll(hellos, { timeout: 5000 }).toBeGreaterThan(before);
});

test('a broken config shows an escaped error page with the problem and hint, and fixing it recovers', async () => {
  const good = readFileSync(path.join(root, 'app.config.json'), 'utf8');
  edit('app.config.json', (t) => t.replace('"contentTemplate":"home.html"', '"contentTemplte":"<home>.html"'));
  await expect.poll(async () => (await get('/').catch(() => ({ status: 0, body: '' }))).status, { timeout: 10_000 }).toBe(500);
  const { body } = await get('/');
  expect(body).toContain('ATOLL_CONFIG_INVALID');
  expect(body).toContain('routes[0].contentTemplte: unknown key — did you mean &quot;contentTemplate&quot;?');
  expect(body).toContain('<strong>Hint:</strong>');
  expect(body).not.toContain('<home>');
  expect(output).toContain('ATOLL_CONFIG_INVALID');
  writeFileSync(path.join(root, 'app.config.json'), good);
  await expect.poll(async () => (await get('/').catch(() => ({ status: 0, body: '' }))).status, { timeout: 10_000 }).toBe(200);
});

test('a component that does not compile keeps the dev server up and shows file and line', async () => {
  edit('components/d-greeting.ts', (t) => t.replace('render()', 'render( {'));
  await expect.poll(async () => (await get('/').catch(() => ({ status: 0, body: '' }))).body, { timeout: 20_000 }).toContain('ATOLL_COMPONENT_BUILD_FAILED');
  expect((await get('/')).body).toMatch(/components\/d-greeting\.ts:\d+:\d+/);
  edit('components/d-greeting.ts', (t) => t.replace('render( {', 'render()'));
  await expect.poll(async () => (await get('/').catch(() => ({ status: 0, body: '' }))).body, { timeout: 20_000 }).toContain('hello from v2');
});
