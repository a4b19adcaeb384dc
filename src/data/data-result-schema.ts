/**
 * The one description of what `getServerData` may return: ajv validates results against it,
 * the head renderer takes its attribute lists from it, and test/data/data-result-schema.test.ts
 * ties it to the `SsrDataResponse` type in ./types.ts (a key added to one and not the other fails
 * the type check). Key order is the order attributes are written in.
 */
const str = { type: 'string' } as const;
export const DATA_RESULT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    props: { type: 'object' },
    markup: {
      type: 'object',
      additionalProperties: false,
      properties: {
        title: str,
        meta: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { name: str, httpEquiv: str, property: str, itemprop: str, content: str } } },
        links: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['href'],
            properties: {
              href: str,
              rel: str,
              as: str,
              fetchpriority: { enum: ['high', 'low', 'auto'] },
              type: str,
              sizes: str,
              hreflang: str,
              media: str,
              crossorigin: { enum: ['', 'anonymous', 'use-credentials'] },
            },
          },
        },
        scripts: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['body'], properties: { body: {} } } },
        styles: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['body'], properties: { body: str, id: str } } },
      },
    },
    cache: { type: 'object', additionalProperties: false, properties: { ttl: { type: ['number', 'string'] }, tags: { type: 'array', items: str }, key: str } },
    status: { type: 'integer', minimum: 200, maximum: 599, not: { minimum: 300, maximum: 399 } },
    headers: { type: 'object', additionalProperties: str },
    redirect: { type: 'object', additionalProperties: false, required: ['destination'], properties: { destination: str, permanent: { type: 'boolean' } } },
    notFound: { const: true },
  },
} as const;
