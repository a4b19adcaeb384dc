/**
 * The two shapes a route handler may return; check-handler-result.ts picks one by the key
 * present (`view` or `body`) and checks what a schema cannot (header names and values, JSON).
 */

const HEADERS = {
  type: 'object',
  maxProperties: 64,
  additionalProperties: { type: 'string', maxLength: 8192 },
} as const;

const PATH = { type: 'string', minLength: 1, maxLength: 1024 } as const;

export const VIEW_RESULT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['view'],
  properties: {
    view: {
      type: 'object',
      additionalProperties: false,
      properties: { contentTemplate: PATH, rootComponent: PATH, layoutTemplate: PATH },
    },
    viewParams: { type: 'object' },
    status: {
      type: 'integer',
      anyOf: [
        { minimum: 200, maximum: 299 },
        { minimum: 400, maximum: 599 },
      ],
    },
    headers: HEADERS,
    cache: { type: 'object', additionalProperties: false, properties: { ttl: { type: ['number', 'string'] } } },
  },
} as const;

export const RESPONSE_RESULT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['body'],
  properties: {
    body: {},
    status: { type: 'integer', minimum: 200, maximum: 599 },
    headers: HEADERS,
  },
} as const;
