import { afterAll, beforeAll, expect, test } from 'vitest';
import { connect, type Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { PageBuffers } from '../../src/render/page-buffers.js';
import { litComponent, startApp, writeApp } from '../helpers/write-app.js';

/**
 * The bytes of a page nobody keeps are lent from a pool and reused once the response finished
 * (src/render/page-buffers.ts). Reuse too early would send one visitor's page with another's
 * bytes, so these tests hold responses back (pipelined requests nobody reads yet) while other
 * requests take memory from the pool, and check every page byte for byte afterwards.
 */
const root = writeApp({
  'app.config.json': {
    routes: [
      { id: 'personal', path: '/personal', contentTemplate: 'personal.html' },
      { id: 'stored', path: '/stored', contentTemplate: 'stored.html', cache: { ttl: 60 } },
      { id: 'big', path: '/big', contentTemplate: 'big.html' },
    ],
  },
  // b-list's fragment is stored, so these pages are assembled from bytes (the pooled path).
  'personal.html': '<b-list></b-list><b-me></b-me>',
  'stored.html': '<b-list></b-list>',
  // About 700 KB: more than the kernel's socket buffers take from a few pages at once.
  'big.html': '<b-list size="8000"></b-list><b-me></b-me>',
  'components/b-list.ts': litComponent('b-list', {
    properties: 'items: { type: Array }',
    render: '<ul>${this.items.map((item) => html`<li>${item}</li>`)}</ul>',
    extra: `export const getServerData = ({ props }) => ({ props: { items: Array.from({ length: Number(props.size ?? 800) }, (_, i) => 'item ' + i) }, cache: { ttl: 60, key: 'list' } });`,
  }),
  'components/b-me.ts': litComponent('b-me', {
    properties: 'name: {}',
    render: '<p>Welcome, ${this.name}</p>',
    extra: `export const getServerData = ({ cookies }) => ({ props: { name: cookies.name ?? 'guest' } });`,
  }),
});

let server: FastifyInstance;
let port: number;
/** The server's side of each connection: its writableLength is what Node holds, not yet in the kernel. */
const serverSockets: Socket[] = [];

beforeAll(async () => {
  // Large pages stream unless told otherwise; these tests are about the pages sent whole.
  ({ server } = await startApp(root, { streamMinChars: 8 * 1024 * 1024 }));
  await server.listen({ port: 0, host: '127.0.0.1' });
  server.server.on('connection', (socket: Socket) => serverSockets.push(socket));
  port = (server.server.address() as { port: number }).port;
});
afterAll(() => server.close());

/** The page as light-my-request sees it (it copies what is written), for the byte comparison. */
async function expected(url: string, name: string): Promise<Buffer> {
  return (await server.inject({ url, headers: { cookie: `name=${name}` } })).rawPayload;
}

function request(url: string, name: string): string {
  return `GET ${url} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: name=${name}\r\n\r\n`;
}

/** Reads `count` responses with a Content-Length from `socket`, in order: their bodies. */
function readResponses(socket: Socket, count: number): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    let data = Buffer.alloc(0);
    const bodies: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      for (;;) {
        const end = data.indexOf('\r\n\r\n');
        if (end === -1) break;
        const length = Number(/content-length: (\d+)/i.exec(data.subarray(0, end).toString('latin1'))?.[1]);
        if (data.length < end + 4 + length) break;
        bodies.push(data.subarray(end + 4, end + 4 + length));
        data = data.subarray(end + 4 + length);
      }
      if (bodies.length === count) resolve(bodies);
    });
    socket.on('error', reject);
  });
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}

test('a page whose bytes wait in the socket keeps them while other pages reuse the pool', async () => {
  const held = Array.from({ length: 8 }, (_, i) => `held${i}`);
  // Its list's fragment is stored first, so every page below is assembled from its bytes.
  await expected('/big', 'first');
  const slow = connect(port, '127.0.0.1');
  await new Promise((resolve) => slow.once('connect', resolve));
  slow.pause();
  slow.write(held.map((name) => request('/big', name)).join(''));
  // The kernel takes the first pages; then Node holds the rest of one, in the memory it was lent.
  const waiting = (): boolean => serverSockets.some((socket) => socket.writableLength > 0);
  await until(waiting);

  // Meanwhile other visitors' pages of the same size take memory from the pool and give it back.
  const others = Array.from({ length: 4 }, (_, i) => `other${i}`);
  const fast = connect(port, '127.0.0.1');
  const fastBodies = readResponses(fast, others.length);
  fast.write(others.map((name) => request('/big', name)).join(''));
  const otherPages = await fastBodies;
  fast.end();
  expect(waiting()).toBe(true);

  const heldBodies = readResponses(slow, held.length);
  slow.resume();
  const heldPages = await heldBodies;
  slow.end();
  for (const [i, name] of held.entries()) expect(heldPages[i]!.equals(await expected('/big', name)), name).toBe(true);
  for (const [i, name] of others.entries()) expect(otherPages[i]!.equals(await expected('/big', name)), name).toBe(true);
  expect(heldPages[7]!.toString()).toContain('Welcome, <!--lit-part-->held7<!--/lit-part-->');
  expect(heldPages[7]!.length).toBeGreaterThan(512 * 1024);
});

// Two things keep a stored page out of the pool: the pipeline lends only pages the cache will not
// store, and a stored page is sent from the cache's own bytes (page-route.ts, with its encodings).
test('a stored page is never lent: after many personal pages reused the pool, it is unchanged', async () => {
  // The list's fragment (one key for every URL) is stored first, so the page is assembled from its bytes.
  await expected('/personal', 'first');
  const first = await server.inject({ url: '/stored' });
  expect(first.headers['x-atoll-cache']).toBe('miss');
  for (let i = 0; i < 20; i++) await expected('/personal', `visitor${i}`);
  const again = await server.inject({ url: '/stored' });
  expect(again.headers['x-atoll-cache']).toBe('hit');
  expect(again.rawPayload.equals(first.rawPayload)).toBe(true);
  // And over a socket, where memory would be given back after the send.
  const socket = connect(port, '127.0.0.1');
  const bodies = readResponses(socket, 3);
  socket.write(['/stored', '/personal', '/stored'].map((url) => request(url, 'someone')).join(''));
  const [stored, , storedAgain] = await bodies;
  socket.end();
  expect(stored!.equals(first.rawPayload)).toBe(true);
  expect(storedAgain!.equals(first.rawPayload)).toBe(true);
});

test('memory given back is lent again, once, and the pool keeps at most 4 MB', () => {
  const buffers = new PageBuffers();
  const a = buffers.take(30_000);
  expect(a.length).toBe(30_000);
  buffers.giveBack(a);
  buffers.giveBack(a);
  expect(buffers.freeBytes).toBe(32 * 1024);
  const b = buffers.take(20_000);
  const c = buffers.take(20_000);
  expect(b.buffer).toBe(a.buffer);
  expect(c.buffer).not.toBe(b.buffer);
  expect(buffers.freeBytes).toBe(0);
  // A buffer it did not lend is not taken in.
  buffers.giveBack(Buffer.alloc(30_000));
  expect(buffers.freeBytes).toBe(0);
  const many = Array.from({ length: 200 }, () => buffers.take(30_000));
  for (const buffer of many) buffers.giveBack(buffer);
  expect(buffers.freeBytes).toBe(4 * 1024 * 1024);
});
