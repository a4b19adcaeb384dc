import type { ErrorObject } from 'ajv';
import { closestWord } from './closest-word.js';

/**
 * Turns ajv errors into one line each: `routes[2].contentTemplte: unknown key — did you mean
 * "contentTemplate"?`. `allowedKeys(schemaPath)` lists the keys the schema allows at that place.
 */
export function formatAjvErrors(errors: readonly ErrorObject[]): string[] {
  return errors.map((error) => {
    const at = jsonPath(error.instancePath);
    switch (error.keyword) {
      case 'additionalProperties': {
        const key = String(error.params['additionalProperty']);
        const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
        const suggestion = closestWord(key, allowed);
        const where = at === '' ? key : `${at}.${key}`;
        return suggestion === undefined ? `${where}: unknown key; allowed keys here: ${allowed.join(', ')}` : `${where}: unknown key — did you mean "${suggestion}"?`;
      }
      case 'required':
        return `${at === '' ? '(top level)' : at}: missing required key "${String(error.params['missingProperty'])}"`;
      case 'enum':
        return `${at}: must be one of ${(error.params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
      case 'pattern': {
        const examples = (error.parentSchema as { examples?: unknown[] } | undefined)?.examples;
        return `${at}: ${error.message ?? 'does not match'}${examples ? ` (for example ${examples.map((v) => JSON.stringify(v)).join(', ')})` : ''}`;
      }
      default:
        return `${at === '' ? '(top level)' : at}: ${error.message ?? error.keyword}`;
    }
  });
}

/** "/routes/2/path" → "routes[2].path" */
export function jsonPath(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(part) ? `[${part}]` : out === '' ? part : `.${part}`;
  }
  return out;
}
