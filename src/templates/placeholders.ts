/** `{{ name }}` (escaped value) and `{{{ body }}}` (the layout's content slot) in template text. */

export interface Placeholder {
  readonly start: number;
  readonly end: number;
  /** Dotted lookup path, e.g. "page.title". */
  readonly name: string;
  readonly raw: boolean;
}

const PLACEHOLDER = /\{\{(\{?)\s*([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\s*(\}?)\}\}/g;

export function findPlaceholders(text: string): Placeholder[] {
  const found: Placeholder[] = [];
  for (const m of text.matchAll(PLACEHOLDER)) {
    found.push({ start: m.index, end: m.index + m[0].length, name: m[2]!, raw: m[1] === '{' && m[3] === '}' });
  }
  return found;
}

/** Per-request values a template may show; everything else is fixed per route at startup. */
export const REQUEST_VALUES = ['page.url', 'page.locale'] as const;
export type RequestValue = (typeof REQUEST_VALUES)[number];

/**
 * Looks a dotted name up in the route's properties and `page`. Returns the text to show, or an
 * error string. 0 and false show as "0" and "false" (LWR shows them as empty).
 */
export function lookupValue(name: string, scope: Readonly<Record<string, unknown>>): { text: string } | { error: string } {
  let value: unknown = scope;
  for (const part of name.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, part)) {
      return { error: `{{ ${name} }} has no value; set it in the route's "properties"` };
    }
    value = (value as Record<string, unknown>)[part];
  }
  if (value === null) return { text: '' };
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return { text: String(value) };
  return { error: `{{ ${name} }} is ${Array.isArray(value) ? 'an array' : 'an object'}; only strings, numbers and booleans can be shown` };
}
