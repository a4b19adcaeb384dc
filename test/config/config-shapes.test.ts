import { createRequire } from 'node:module';
import { expect, expectTypeOf, test } from 'vitest';
import type { AppConfig, RawConfig, RawPage } from '../../src/config/app-config.js';

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  definitions?: Record<string, SchemaNode>;
}
const schema = createRequire(import.meta.url)('../../src/config/app-config.schema.json') as SchemaNode;
const keysOf = (node: SchemaNode | undefined): string[] => Object.keys(node?.properties ?? {}).sort();

// Each table must name exactly the keys of its type (tsc checks `satisfies` both ways: a missing
// key and an extra one are errors); each test then compares the table with the schema.
const top = {
  $schema: 1,
  basePath: 1,
  i18n: 1,
  assets: 1,
  clientOnly: 1,
  staticSite: 1,
  pageCache: 1,
  cdn: 1,
  forms: 1,
  fragmentCache: 1,
  routes: 1,
  errorRoutes: 1,
} satisfies Record<keyof RawConfig, 1>;
const pageCache = { enabled: 1, maxEntries: 1, maxBytes: 1, maxStale: 1, tagHeader: 1 } satisfies Record<keyof NonNullable<RawConfig['pageCache']>, 1>;
const cdn = { sMaxAge: 1, cdnCacheControl: 1, staleIfError: 1 } satisfies Record<keyof NonNullable<RawConfig['cdn']>, 1>;
const forms = { allowedOrigins: 1, bodyLimit: 1, maxFiles: 1, maxFileSize: 1 } satisfies Record<keyof NonNullable<RawConfig['forms']>, 1>;
const fragmentCache = { enabled: 1, maxEntries: 1, maxBytes: 1 } satisfies Record<keyof NonNullable<RawConfig['fragmentCache']>, 1>;
const staticSite = { outputDir: 1, paths: 1 } satisfies Record<keyof NonNullable<RawConfig['staticSite']>, 1>;
const i18n = { defaultLocale: 1, locales: 1, uriPattern: 1, alternateLinks: 1 } satisfies Record<keyof NonNullable<RawConfig['i18n']>, 1>;
const asset = { package: 1, dir: 1, urlPath: 1 } satisfies Record<keyof NonNullable<RawConfig['assets']>[number], 1>;
const page = {
  id: 1,
  path: 1,
  status: 1,
  contentTemplate: 1,
  rootComponent: 1,
  layoutTemplate: 1,
  properties: 1,
  cache: 1,
  bootstrap: 1,
  routeHandler: 1,
  method: 1,
  views: 1,
  ssrTimeout: 1,
} satisfies Record<keyof RawPage, 1>;

test.each([
  ['(top level)', top, schema],
  ['pageCache', pageCache, schema.properties?.['pageCache']],
  ['cdn', cdn, schema.properties?.['cdn']],
  ['forms', forms, schema.properties?.['forms']],
  ['fragmentCache', fragmentCache, schema.properties?.['fragmentCache']],
  ['staticSite', staticSite, schema.properties?.['staticSite']],
  ['i18n', i18n, schema.properties?.['i18n']],
  ['assets[]', asset, schema.properties?.['assets']?.items],
] as const)('the schema and RawConfig name the same keys: %s', (_where, table, node) => {
  expect(keysOf(node)).toEqual(Object.keys(table).sort());
});

test('routes[] and errorRoutes[] together name the keys of RawPage', () => {
  const both = new Set([...keysOf(schema.definitions?.['route']), ...keysOf(schema.definitions?.['errorRoute'])]);
  expect([...both].sort()).toEqual(Object.keys(page).sort());
});

test('AppConfig has a resolved field for every raw one (plus where it came from)', () => {
  expectTypeOf<Exclude<keyof AppConfig, 'root' | 'configFile'>>().toEqualTypeOf<Exclude<keyof RawConfig, '$schema'>>();
  expectTypeOf<keyof AppConfig['pageCache']>().toEqualTypeOf<keyof NonNullable<RawConfig['pageCache']>>();
  expectTypeOf<keyof AppConfig['cdn']>().toEqualTypeOf<keyof NonNullable<RawConfig['cdn']>>();
  expectTypeOf<keyof AppConfig['fragmentCache']>().toEqualTypeOf<keyof NonNullable<RawConfig['fragmentCache']>>();
  expectTypeOf<keyof AppConfig['staticSite']>().toEqualTypeOf<keyof NonNullable<RawConfig['staticSite']>>();
  expectTypeOf<keyof AppConfig['i18n']>().toEqualTypeOf<keyof NonNullable<RawConfig['i18n']>>();
});
