import { escapeJsonForScript } from '../html/escape.js';

/** Where a value is not JSON and would not reach the browser unchanged. */
export interface SerializeProblem {
  readonly keyPath: string;
  readonly detail: string;
}

/**
 * Island props as JSON for `<script type="application/json">`, or the first value that JSON
 * cannot carry unchanged (functions, symbols, BigInt, undefined, NaN/Infinity, cycles, Dates,
 * Maps, class instances…) with its key path, e.g. `props.items[2].price`.
 */
export function serializeProps(props: Readonly<Record<string, unknown>>): { json: string } | SerializeProblem {
  const problem = findProblem(props, 'props', new Set());
  if (problem !== undefined) return problem;
  return { json: escapeJsonForScript(JSON.stringify(props)) };
}

function findProblem(value: unknown, keyPath: string, ancestors: Set<object>): SerializeProblem | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : { keyPath, detail: `${value} is not a JSON number` };
    case 'object':
      break;
    default:
      return { keyPath, detail: `a ${typeof value} cannot be sent as JSON` };
  }
  if (value === null) return undefined;
  if (ancestors.has(value)) return { keyPath, detail: 'a cyclic reference cannot be sent as JSON' };
  const isArray = Array.isArray(value);
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (!isArray && prototype !== Object.prototype && prototype !== null) {
    const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
    return { keyPath, detail: `a ${name} instance is not a plain object; convert it (for example to a string or array) first` };
  }
  ancestors.add(value);
  if (isArray) {
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) return { keyPath: `${keyPath}[${i}]`, detail: 'an array hole cannot be sent as JSON' };
      const problem = findProblem(value[i], `${keyPath}[${i}]`, ancestors);
      if (problem !== undefined) return problem;
    }
  } else {
    for (const key of Object.keys(value)) {
      const child = (value as Record<string, unknown>)[key];
      const childPath = /^[A-Za-z_$][\w$]*$/.test(key) ? `${keyPath}.${key}` : `${keyPath}[${JSON.stringify(key)}]`;
      if (child === undefined) return { keyPath: childPath, detail: 'undefined is dropped by JSON; use null or leave the key out' };
      const problem = findProblem(child, childPath, ancestors);
      if (problem !== undefined) return problem;
    }
  }
  ancestors.delete(value);
  return undefined;
}
