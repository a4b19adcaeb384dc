import { expect, expectTypeOf, test } from 'vitest';
import { DATA_RESULT_SCHEMA } from '../../src/data/data-result-schema.js';
import type { HeadMarkup, LinkTag, MetaTag, SsrDataResponse } from '../../src/data/types.js';
import { renderHead } from '../../src/head/render-head.js';

type Keys<T> = keyof T & string;
const result = DATA_RESULT_SCHEMA.properties;
const markup = result.markup.properties;

// Checked by tsc (npm test runs it over test/): the schema and the public types name the same keys.
test('the result schema and SsrDataResponse name the same keys, at every level the head uses', () => {
  expectTypeOf<Keys<typeof result>>().toEqualTypeOf<Keys<SsrDataResponse>>();
  expectTypeOf<Keys<typeof markup>>().toEqualTypeOf<Keys<HeadMarkup>>();
  expectTypeOf<Keys<typeof markup.meta.items.properties>>().toEqualTypeOf<Keys<MetaTag>>();
  expectTypeOf<Keys<typeof markup.links.items.properties>>().toEqualTypeOf<Keys<LinkTag>>();
  expectTypeOf<Keys<typeof result.redirect.properties>>().toEqualTypeOf<Keys<NonNullable<SsrDataResponse['redirect']>>>();
  expectTypeOf<Keys<typeof result.cache.properties>>().toEqualTypeOf<Keys<NonNullable<SsrDataResponse['cache']>>>();
});

test('every link and meta key of the schema is written by the head renderer, in schema order', () => {
  const link = Object.fromEntries(
    Object.keys(markup.links.items.properties).map((key) => [key, key === 'crossorigin' ? 'anonymous' : key === 'fetchpriority' ? 'high' : `v-${key}`]),
  ) as unknown as LinkTag;
  const meta = { name: 'n', httpEquiv: 'h', property: 'p', itemprop: 'i', content: 'c' } satisfies Required<MetaTag>;
  expect(renderHead([{ links: [link], meta: [meta] }]).html).toBe(
    '<meta name="n" http-equiv="h" property="p" itemprop="i" content="c">\n' +
      '<link href="v-href" rel="v-rel" as="v-as" fetchpriority="high" type="v-type" sizes="v-sizes" hreflang="v-hreflang" media="v-media" crossorigin="anonymous">\n',
  );
});
