import { expect, test } from 'vitest';
import { createRequire } from 'node:module';

const schema = createRequire(import.meta.url)('../../src/config/app-config.schema.json') as Record<string, unknown>;

/** Every field an editor can complete: path → its schema (references resolved). */
function fields(node: Record<string, unknown>, at: string, out: Map<string, Record<string, unknown>>): void {
  const ref = node['$ref'] as string | undefined;
  const resolved = ref === undefined ? node : { ...(schema['definitions'] as Record<string, Record<string, unknown>>)[ref.split('/').pop()!]!, ...node };
  for (const [key, child] of Object.entries((resolved['properties'] ?? {}) as Record<string, Record<string, unknown>>)) {
    const childAt = at === '' ? key : `${at}.${key}`;
    out.set(
      childAt,
      child['$ref'] === undefined ? child : { ...(schema['definitions'] as Record<string, Record<string, unknown>>)[(child['$ref'] as string).split('/').pop()!]!, ...child },
    );
    fields(child, childAt, out);
  }
  const items = resolved['items'] as Record<string, unknown> | undefined;
  if (items !== undefined && !('anyOf' in items)) fields(items, `${at}[]`, out);
}

test('every field of app.config.json has a description and an example for editors', () => {
  const all = new Map<string, Record<string, unknown>>();
  fields(schema, '', all);
  expect(all.size).toBeGreaterThan(30);
  for (const [at, field] of all) {
    expect(typeof field['description'], `${at} has no description`).toBe('string');
    expect(Array.isArray(field['examples']) || Array.isArray(field['enum']), `${at} has no examples`).toBe(true);
  }
});
