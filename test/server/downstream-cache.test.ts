import { expect, test } from 'vitest';
import { AtollError } from '../../src/errors.js';
import { loadConfig } from '../../src/config/load-config.js';
import { litComponent, startApp, writeApp } from '../helpers/write-app.js';

let apps = 0;
const app = (cdn: object | undefined) => {
  // Each app defines its own element: one process defines a tag once.
  const tag = `x-me-${++apps}`;
  return writeApp({
    'app.config.json': {
      ...(cdn === undefined ? {} : { cdn }),
      routes: [
        { id: 'public', path: '/', contentTemplate: 'page.html', cache: { ttl: 60 } },
        { id: 'personal', path: '/me', contentTemplate: 'me.html', cache: { ttl: 60 } },
        { id: 'nottl', path: '/now', contentTemplate: 'page.html' },
      ],
    },
    'page.html': '<p>page</p>',
    'me.html': `<${tag}></${tag}>`,
    [`components/${tag}.ts`]: litComponent(tag, { render: 'me', extra: "export const getServerData = ({ headers }) => ({ props: { ua: headers['user-agent'] ?? '' } });" }),
  });
};

test('sMaxAge and staleIfError reach the Cache-Control of public pages, on the miss and on the hit; private and no-cache pages keep theirs', async () => {
  const { server } = await startApp(app({ sMaxAge: '10 minutes', staleIfError: '1 day' }), { now: () => 0 });
  const miss = await server.inject('/');
  expect(miss.headers['x-atoll-cache']).toBe('miss');
  expect(miss.headers['cache-control']).toBe('public, max-age=60, stale-while-revalidate=60, s-maxage=600, stale-if-error=86400');
  const hit = await server.inject('/');
  expect(hit.headers['x-atoll-cache']).toBe('hit');
  expect(hit.headers['cache-control']).toBe('public, max-age=60, stale-while-revalidate=60, s-maxage=600, stale-if-error=86400');
  expect(hit.headers['cdn-cache-control']).toBeUndefined();
  expect((await server.inject('/me')).headers['cache-control']).toBe('private, max-age=60');
  expect((await server.inject('/now')).headers['cache-control']).toBe('private, no-cache');
  expect((await server.inject('/nothing-here')).headers['cache-control']).toBe('no-store');
  await server.close();
});

test('cdnCacheControl: the shared lifetime goes into CDN-Cache-Control, and Cache-Control has no s-maxage', async () => {
  const { server } = await startApp(app({ sMaxAge: 600, staleIfError: 30, cdnCacheControl: true }), { now: () => 0 });
  const page = await server.inject('/');
  expect(page.headers['cache-control']).toBe('public, max-age=60, stale-while-revalidate=60, stale-if-error=30');
  expect(page.headers['cdn-cache-control']).toBe('max-age=600, stale-if-error=30');
  expect((await server.inject('/me')).headers['cdn-cache-control']).toBeUndefined();
  await server.close();
});

test('without cdn nothing is added', async () => {
  const { server } = await startApp(app(undefined), { now: () => 0 });
  const page = await server.inject('/');
  expect(page.headers['cache-control']).toBe('public, max-age=60, stale-while-revalidate=60');
  expect(page.headers['cdn-cache-control']).toBeUndefined();
  await server.close();
});

test('a duration that is not one is a config error naming cdn.sMaxAge, and the schema refuses unknown keys', () => {
  const bad = (cdn: object): AtollError => {
    try {
      loadConfig(app(cdn));
    } catch (error) {
      if (AtollError.is(error)) return error;
      throw error;
    }
    throw new Error('expected a config error');
  };
  const duration = bad({ sMaxAge: '10 parsecs' });
  expect(duration.code).toBe('ATOLL_CONFIG_INVALID');
  expect(duration.message).toContain('cdn.sMaxAge: "10 parsecs" is not a duration');
  expect(bad({ maxAge: 5 }).message).toMatch(/cdn.*maxAge/);
});
