/**
 * What a form action may return, in the two shapes that are not plain data. Any other value is
 * the data itself (status 200); check-action-result.ts picks the shape by the keys present.
 */
export const REDIRECT_RESULT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['redirect'],
  properties: { redirect: { type: 'string', minLength: 1, maxLength: 2048 } },
} as const;

export const STATUS_RESULT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'integer', anyOf: [{ const: 200 }, { minimum: 400, maximum: 599 }] },
    data: {},
  },
} as const;
