import { expect, test } from 'vitest';
import { createRouteTable } from '../../src/routing/route-table.js';
import type { RouteConfig } from '../../src/config/app-config.js';

const route = (id: string, path: string): RouteConfig => ({
  id,
  path,
  content: { kind: 'component', tag: 'x-a' },
  layoutFile: undefined,
  properties: {},
  ttl: undefined,
  tags: [],
  ssr: true,
  ssrTimeoutMs: undefined,
});
const table = createRouteTable([
  route('home', '/'),
  route('category', '/category/:category'),
  route('range', '/r/:a-:b'),
  route('files', '/files/*rest'),
  route('optional', '/opt{/:id}'),
  route('first-wins', '/category/special'),
]);

test.each<[string, string | undefined, Record<string, unknown>?]>([
  ['/', 'home', {}],
  ['/category/books', 'category', { category: 'books' }],
  ['/category/books/', 'category', { category: 'books' }],
  ['/CATEGORY/Books', 'category', { category: 'Books' }],
  ['/category/a%2Fb%20c', 'category', { category: 'a/b c' }],
  ['/category/special', 'category', { category: 'special' }],
  ['/category', undefined],
  ['/category/a/b', undefined],
  ['/r/1-2', 'range', { a: '1', b: '2' }],
  ['/files/a/b.txt', 'files', { rest: ['a', 'b.txt'] }],
  ['/files', undefined],
  ['/opt', 'optional', {}],
  ['/opt/9', 'optional', { id: '9' }],
  ['/nope', undefined],
])('%s → %s', (pathname, id, params) => {
  const match = table.match(pathname);
  expect(match?.route.id).toBe(id);
  if (params !== undefined) expect({ ...match!.params }).toEqual(params);
});

test('params have no prototype, so a __proto__ segment is plain data', () => {
  const match = table.match('/category/__proto__')!;
  expect(Object.getPrototypeOf(match.params)).toBeNull();
  expect(match.params['category']).toBe('__proto__');
});
