import { afterAll, beforeAll, expect, test } from 'vitest';
import { connect, type Socket } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { litComponent, startApp, writeApp } from '../helpers/write-app.js';

/**
 * Whole pages finished in one turn of the event loop are sent together at its end
 * (src/server/send-batch.ts): with two requests read in the same turn, both pages are built
 * before either is sent. The data hook records when each page is built; the server's own
 * 'finish' of each response records when it was sent.
 */
const root = writeApp({
  'app.config.json': { routes: [{ id: 'page', path: '/page', contentTemplate: 'page.html' }] },
  'page.html': '<t-me></t-me>',
  'components/t-me.ts': litComponent('t-me', {
    properties: 'name: {}',
    render: '<p>${this.name}</p>',
    extra: `export const getServerData = ({ query }) => { globalThis.__sendOrder.push('built ' + query.who); return { props: { name: query.who } }; };`,
  }),
});

let server: FastifyInstance;
let port: number;
const order = (): string[] => (globalThis as unknown as { __sendOrder: string[] }).__sendOrder;

beforeAll(async () => {
  (globalThis as unknown as { __sendOrder: string[] }).__sendOrder = [];
  ({ server } = await startApp(root));
  await server.listen({ port: 0, host: '127.0.0.1' });
  server.server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    response.once('finish', () => order().push(`sent ${new URL(request.url!, 'http://x').searchParams.get('who')}`));
  });
  port = (server.server.address() as { port: number }).port;
});
afterAll(() => server.close());

async function connected(): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  return socket;
}

function response(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.includes('</html>')) resolve(text);
    });
  });
}

test('two pages read in one turn are both built before either is sent', async () => {
  const [a, b] = [await connected(), await connected()];
  const pages = [response(a), response(b)];
  order().length = 0;
  // Written in the same tick: the server's next poll finds both sockets readable.
  a.write('GET /page?who=a HTTP/1.1\r\nHost: x\r\n\r\n');
  b.write('GET /page?who=b HTTP/1.1\r\nHost: x\r\n\r\n');
  const [pageA, pageB] = await Promise.all(pages);
  a.end();
  b.end();
  expect(order()).toEqual(['built a', 'built b', 'sent a', 'sent b']);
  expect(pageA).toContain('<p><!--lit-part-->a<!--/lit-part--></p>');
  expect(pageB).toContain('<p><!--lit-part-->b<!--/lit-part--></p>');
});

test('a page alone in its turn is sent right after it is built', async () => {
  const socket = await connected();
  const page = response(socket);
  order().length = 0;
  socket.write('GET /page?who=alone HTTP/1.1\r\nHost: x\r\n\r\n');
  expect(await page).toContain('HTTP/1.1 200 OK');
  socket.end();
  expect(order()).toEqual(['built alone', 'sent alone']);
});
