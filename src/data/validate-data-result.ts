import { Ajv } from 'ajv';
import { formatAjvErrors } from '../config/format-ajv-errors.js';
import { parseTtl } from '../config/parse-ttl.js';
import type { SsrDataResponse } from './types.js';
import { DATA_RESULT_SCHEMA } from './data-result-schema.js';
import { PROPS_BINDING } from '../templates/compile-body.js';
import { tagProblem } from '../cache/cache-tags.js';

const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true }).compile(DATA_RESULT_SCHEMA);

/** Headers a data hook (or a route handler's view) may not set: Atoll owns them (use cache.ttl, redirect) or they frame the body. */
export const RESERVED_HEADERS: ReadonlySet<string> = new Set([
  'cache-control',
  'content-type',
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'connection',
  'location',
  'etag',
  'vary',
  'keep-alive',
  'upgrade',
  'trailer',
]);
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
export const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Bound on a hook's fragment cache key (`cache.key`). */
const MAX_KEY_LENGTH = 256;
const FORBIDDEN_PROPS = new Set(['__proto__', 'constructor', 'prototype', PROPS_BINDING]);
/** "/x" or an absolute http(s) URL; "//host" and "/\host" are other sites to a browser. */
export const SAFE_REDIRECT = /^(?:\/(?![/\\])|https?:\/\/)/i;

export interface CheckedResult {
  readonly result: SsrDataResponse;
  /** Whole seconds; undefined when the hook set none or an invalid one (see ttlProblem). */
  readonly ttl: number | undefined;
  readonly ttlProblem: unknown;
}

/** Returns the problems with a hook's result, or the result with its TTL parsed. */
export function checkDataResult(value: unknown): { problems: string[] } | CheckedResult {
  if (value === undefined || value === null) return { result: {}, ttl: undefined, ttlProblem: undefined };
  if (!validate(value)) return { problems: formatAjvErrors(validate.errors ?? []).map((p) => `result${p.startsWith('(') ? '' : '.'}${p}`) };
  const result = value as SsrDataResponse;
  const problems: string[] = [];
  for (const key of Object.keys(result.props ?? {})) {
    if (FORBIDDEN_PROPS.has(key)) problems.push(`result.props.${key}: this property name is not allowed`);
  }
  for (const [name, headerValue] of Object.entries(result.headers ?? {})) {
    if (!HEADER_NAME.test(name)) problems.push(`result.headers: "${name}" is not a valid header name`);
    else if (RESERVED_HEADERS.has(name.toLowerCase())) problems.push(`result.headers.${name}: Atoll sets this header; use cache.ttl or redirect instead`);
    if (!HEADER_VALUE.test(headerValue)) problems.push(`result.headers.${name}: the value contains a line break or control character`);
  }
  if (result.redirect !== undefined && !SAFE_REDIRECT.test(result.redirect.destination)) {
    problems.push(`result.redirect.destination: ${JSON.stringify(result.redirect.destination)} must start with a single "/" or with http:// or https://`);
  } else if (result.redirect !== undefined && !HEADER_VALUE.test(result.redirect.destination)) {
    problems.push('result.redirect.destination: contains a line break or control character; percent-encode it');
  }
  for (const [i, link] of (result.markup?.links ?? []).entries()) {
    if (/^\s*(?:javascript|vbscript|data):/i.test(link.href)) problems.push(`result.markup.links[${i}].href: script and data URLs are not allowed`);
  }
  for (const [i, script] of (result.markup?.scripts ?? []).entries()) {
    if (typeof script.body === 'string') {
      try {
        JSON.parse(script.body);
      } catch {
        problems.push(`result.markup.scripts[${i}].body: a string body must be JSON text (it is emitted as application/ld+json)`);
      }
    }
  }
  // Tags reach a response header and the purge index, keys the fragment cache: no control characters.
  const tags = result.cache?.tags;
  const tagsProblem = tags === undefined ? undefined : tagProblem(tags, 'result.cache.tags');
  if (tagsProblem !== undefined) problems.push(tagsProblem);
  const key = result.cache?.key;
  if (key !== undefined && (key.length === 0 || key.length > MAX_KEY_LENGTH || !/^[\x20-\x7e]+$/.test(key))) {
    problems.push(`result.cache.key: must be 1 to ${MAX_KEY_LENGTH} printable ASCII characters`);
  }
  if (problems.length > 0) return { problems };
  const rawTtl = result.cache?.ttl;
  const ttl = rawTtl === undefined ? undefined : parseTtl(rawTtl);
  return { result, ttl, ttlProblem: ttl === undefined && rawTtl !== undefined ? rawTtl : undefined };
}
