import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createServer } from 'atoll';

const root = fileURLToPath(new URL('..', import.meta.url));

// The real pipeline (config, components, data hooks, Lit SSR) without opening a port.
test('the home page shows the data of getServerData and boots the island', async () => {
  const server = await createServer({ root, mode: 'production', ssrTimeoutMs: 5000, logLevel: 'silent' });
  try {
    const response = await server.inject('/?name=Ada');
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /<title>Hello, Ada<\/title>/);
    assert.match(response.body, /<h1><!--lit-part-->Hello, Ada!<!--\/lit-part--><\/h1>/);
    assert.match(response.body, /data-atoll-props="\d+">\{"likes":41\}<\/script>/);
  } finally {
    await server.close();
  }
});
