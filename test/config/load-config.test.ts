import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { AtollError } from '../../src/errors.js';
import { writeApp } from '../helpers/write-app.js';

const template = { 'templates/a.html': '<p>a</p>', 'public/x.css': '' };

function problemsOf(config: object | string, extra: Record<string, string> = {}): { code: string; message: string } {
  const root = writeApp({ 'app.config.json': config, ...template, ...extra });
  try {
    loadConfig(root);
  } catch (error) {
    if (!AtollError.is(error)) throw error;
    return { code: error.code, message: error.message.replaceAll(root, '<root>') };
  }
  throw new Error('expected the config to be rejected');
}

describe('invalid configs are reported with every problem at once, each with its JSON path', () => {
  test.each<[string, object, string[]]>([
    ['typo in a route key', { routes: [{ id: 'a', path: '/', contentTemplte: 'templates/a.html' }] }, ['routes[0].contentTemplte: unknown key — did you mean "contentTemplate"?']],
    [
      'unknown top-level key',
      { routes: [], bogus: 1 },
      ['bogus: unknown key; allowed keys here: $schema, basePath, i18n, assets, clientOnly, staticSite, routes, errorRoutes, pageCache, cdn, forms, fragmentCache'],
    ],
    ['missing routes', {}, ['(top level): missing required key "routes"']],
    [
      'both content kinds',
      { routes: [{ id: 'a', path: '/', contentTemplate: 'templates/a.html', rootComponent: 'x-a' }] },
      ['routes[0]: set exactly one of "contentTemplate" and "rootComponent"'],
    ],
    [
      'duplicate ids across routes and error routes',
      {
        routes: [{ id: 'a', path: '/', contentTemplate: 'templates/a.html' }],
        errorRoutes: [{ id: 'a', status: 404, contentTemplate: 'templates/a.html' }],
      },
      ['errorRoutes[0].id: "a" is already the id of routes[0]; ids must be unique'],
    ],
    ['bad error status', { routes: [], errorRoutes: [{ id: 'e', status: 403, contentTemplate: 'templates/a.html' }] }, ['errorRoutes[0].status: must be one of 404, 500']],
    [
      'template outside the app',
      { routes: [{ id: 'a', path: '/', contentTemplate: '../../etc/passwd' }] },
      ['routes[0].contentTemplate: "../../etc/passwd" is outside the app folder <root>; use a path inside it'],
    ],
    [
      'missing template',
      { routes: [{ id: 'a', path: '/', contentTemplate: 'templates/nope.html' }] },
      ['routes[0].contentTemplate: file "templates/nope.html" does not exist in <root>'],
    ],
    [
      'path that path-to-regexp rejects',
      { routes: [{ id: 'a', path: '/a/:', contentTemplate: 'templates/a.html' }] },
      ['routes[0].path: "/a/:" is not a valid path-to-regexp pattern: Missing parameter name at index 4: /a/:; visit https://git.new/pathToRegexpError for info'],
    ],
    [
      'unit-less and negative TTLs',
      {
        routes: [
          { id: 'a', path: '/a', contentTemplate: 'templates/a.html', cache: { ttl: '60' } },
          { id: 'b', path: '/b', contentTemplate: 'templates/a.html', cache: { ttl: -5 } },
        ],
      },
      [
        'routes[0].cache.ttl: "60" is not a duration; use seconds (60) or a string with a unit ("60s", "10 minutes", "1h")',
        'routes[1].cache.ttl: -5 is not a duration; use seconds (60) or a string with a unit ("60s", "10 minutes", "1h")',
      ],
    ],
    ['default locale not listed', { routes: [], i18n: { defaultLocale: 'de', locales: ['en-US'] } }, ['i18n.defaultLocale: "de" is not in i18n.locales [en-US]']],
    ['basePath with trailing slash', { routes: [], basePath: 'shop/' }, ['basePath: must match pattern "^(/[A-Za-z0-9][A-Za-z0-9._~-]*)*$" (for example "/shop")']],
    ['wrong types', { routes: [{ id: 'a', path: '/', contentTemplate: 'templates/a.html', bootstrap: { ssr: 'yes' } }] }, ['routes[0].bootstrap.ssr: must be boolean']],
  ])('%s', (_name, config, expected) => {
    const { code, message } = problemsOf(config);
    expect(code).toBe('ATOLL_CONFIG_INVALID');
    // Positions are tested on their own below; this table is about the messages.
    expect(
      message
        .split('\n')
        .slice(1)
        .map((l) => l.replace(/^ {2}- /, '').replace(/ \(line \d+, column \d+\)$/, '')),
    ).toEqual(expected);
  });

  test('each problem points at its line and column in app.config.json', () => {
    const { message } = problemsOf(
      '{\n  "routes": [\n    { "id": "a", "path": "/", "contentTemplte": "templates/a.html" },\n    { "id": "b", "path": "/b", "contentTemplate": "templates/a.html", "cache": { "ttl": "60" } }\n  ],\n  "bogus": 1\n}\n',
    );
    expect(message.split('\n').slice(1)).toEqual([
      '  - bogus: unknown key; allowed keys here: $schema, basePath, i18n, assets, clientOnly, staticSite, routes, errorRoutes, pageCache, cdn, forms, fragmentCache (line 6, column 3)',
      '  - routes[0].contentTemplte: unknown key — did you mean "contentTemplate"? (line 3, column 31)',
    ]);
    const semantic = problemsOf('{\n  "routes": [\n    { "id": "b", "path": "/b", "contentTemplate": "templates/a.html", "cache": { "ttl": "60" } }\n  ]\n}\n');
    expect(semantic.message).toContain('routes[0].cache.ttl: "60" is not a duration; use seconds (60) or a string with a unit ("60s", "10 minutes", "1h") (line 3, column 82)');
  });

  test('malformed JSON names the line and column', () => {
    const { code, message } = problemsOf('{\n  "routes": [\n    { "id": "a", }\n  ]\n}');
    expect(code).toBe('ATOLL_CONFIG_JSON');
    expect(message).toMatch(/^<root>\/app\.config\.json:3:18: /);
  });

  test('a missing config file', () => {
    const root = writeApp({ 'templates/a.html': '' });
    expect(() => loadConfig(root)).toThrow(expect.objectContaining({ code: 'ATOLL_CONFIG_NOT_FOUND' }));
  });
});

test('a valid config is resolved to absolute paths, defaulted and frozen', () => {
  const root = writeApp({
    'app.config.json': {
      $schema: '../schema.json',
      basePath: '/shop',
      i18n: { defaultLocale: 'en-US', locales: ['en-US', { id: 'fr' }] },
      routes: [
        { id: 'a', path: '/a/:x', contentTemplate: 'templates/a.html', cache: { ttl: '10 minutes' }, properties: { title: 'A' } },
        { id: 'b', path: '/b', rootComponent: 'x-b', bootstrap: { ssr: false } },
      ],
      errorRoutes: [{ id: 'nf', status: 404, contentTemplate: 'templates/a.html' }],
    },
    ...template,
  });
  const config = loadConfig(root);
  expect(config).toEqual({
    root,
    configFile: `${root}/app.config.json`,
    basePath: '/shop',
    i18n: { defaultLocale: 'en-US', locales: ['en-US', 'fr'], uriPattern: undefined, alternateLinks: true },
    assets: [{ dir: `${root}/public`, urlPath: '/public' }],
    clientOnly: [],
    staticSite: { outputDir: `${root}/site`, paths: [] },
    pageCache: { enabled: true, maxEntries: 1000, maxBytes: 64 * 1024 * 1024, maxStale: 60, tagHeader: undefined },
    cdn: { sMaxAge: undefined, cdnCacheControl: false, staleIfError: undefined },
    forms: { allowedOrigins: [], bodyLimit: 65536, maxFiles: 4, maxFileSize: 1048576 },
    fragmentCache: { enabled: true, maxEntries: 5000, maxBytes: 32 * 1024 * 1024 },
    routes: [
      { id: 'a', path: '/a/:x', content: { kind: 'template', file: `${root}/templates/a.html` }, layoutFile: undefined, properties: { title: 'A' }, ttl: 600, tags: [], ssr: true },
      { id: 'b', path: '/b', content: { kind: 'component', tag: 'x-b' }, layoutFile: undefined, properties: {}, ttl: undefined, tags: [], ssr: false },
    ],
    errorRoutes: [
      { id: 'nf', status: 404, content: { kind: 'template', file: `${root}/templates/a.html` }, layoutFile: undefined, properties: {}, ttl: undefined, tags: [], ssr: true },
    ],
  });
  expect(Object.isFrozen(config.routes[0]!.properties)).toBe(true);
});
