import { Ajv } from 'ajv';
import { formatAjvErrors } from '../config/format-ajv-errors.js';
import { parseTtl } from '../config/parse-ttl.js';
import { HEADER_NAME, HEADER_VALUE, RESERVED_HEADERS, SAFE_REDIRECT } from '../data/validate-data-result.js';
import { RESPONSE_RESULT_SCHEMA, VIEW_RESULT_SCHEMA } from './handler-result-schema.js';
import type { RouteHandlerView } from './types.js';

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
const validateView = ajv.compile(VIEW_RESULT_SCHEMA);
const validateResponse = ajv.compile(RESPONSE_RESULT_SCHEMA);

/** Headers that frame the body or the connection: Node and fastify set them; a handler never does. */
const FRAMING_HEADERS: ReadonlySet<string> = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'trailer', 'content-encoding']);

export interface CheckedView {
  readonly kind: 'view';
  readonly view: RouteHandlerView['view'];
  readonly viewParams: Readonly<Record<string, unknown>> | undefined;
  readonly status: number | undefined;
  /** Names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  /** Whole seconds; undefined when the handler set none. */
  readonly ttl: number | undefined;
}

export interface CheckedResponse {
  readonly kind: 'response';
  readonly body: string | Buffer;
  readonly status: number;
  /** Names lower-cased, content-type always set (from the body's kind unless the handler gave one). */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Reads a handler's return value: `{ view, … }` or `{ body, … }`, nothing else. Headers come
 * from app code that may copy request input into them, so each name must be an HTTP token and
 * each value free of CR, LF and other control characters (no header injection); headers that
 * frame the body, Set-Cookie (use setCookie, which signs and marks the response personal) and,
 * for a view, the headers Atoll sets for pages are refused. A `location` must be a path of this
 * app or an http(s) URL.
 */
export function checkHandlerResult(value: unknown): { problems: string[] } | CheckedView | CheckedResponse {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { problems: [`result: ${describe(value)}; return an object with "view" or "body"`] };
  }
  const hasView = Object.hasOwn(value, 'view');
  const hasBody = Object.hasOwn(value, 'body');
  if (hasView === hasBody) return { problems: [hasView ? 'result: has both "view" and "body"; return one of them' : 'result: has neither "view" nor "body"'] };
  const validate = hasView ? validateView : validateResponse;
  if (!validate(value)) return { problems: formatAjvErrors(validate.errors ?? []).map((p) => `result${p.startsWith('(') ? '' : '.'}${p}`) };
  const problems: string[] = [];
  const headers = checkHeaders((value as { headers?: Record<string, string> }).headers ?? {}, hasView, problems);

  if (hasView) {
    const result = value as RouteHandlerView;
    if ((result.view.contentTemplate === undefined) === (result.view.rootComponent === undefined)) {
      problems.push('result.view: set exactly one of "contentTemplate" and "rootComponent"');
    }
    let ttl: number | undefined;
    if (result.cache?.ttl !== undefined) {
      ttl = parseTtl(result.cache.ttl);
      if (ttl === undefined) problems.push(`result.cache.ttl: ${JSON.stringify(result.cache.ttl)} is not a duration; use seconds (60) or a string with a unit ("10 minutes")`);
    }
    if (problems.length > 0) return { problems };
    return { kind: 'view', view: result.view, viewParams: result.viewParams, status: result.status, headers, ttl };
  }

  const result = value as { body: unknown; status?: number };
  let body: string | Buffer;
  let type: string;
  if (typeof result.body === 'string') [body, type] = [result.body, 'text/plain; charset=utf-8'];
  else if (Buffer.isBuffer(result.body)) [body, type] = [result.body, 'application/octet-stream'];
  else {
    let json: string | undefined;
    try {
      json = JSON.stringify(result.body);
    } catch (error) {
      problems.push(`result.body: not JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    if (json === undefined && problems.length === 0) problems.push(`result.body: ${describe(result.body)} is not a string, a Buffer or a JSON value`);
    [body, type] = [json ?? '', 'application/json; charset=utf-8'];
  }
  if (problems.length > 0) return { problems };
  return { kind: 'response', body, status: result.status ?? 200, headers: { 'content-type': type, ...headers } };
}

function checkHeaders(given: Readonly<Record<string, string>>, forView: boolean, problems: string[]): Record<string, string> {
  const headers: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(given)) {
    const lower = name.toLowerCase();
    if (!HEADER_NAME.test(name)) {
      problems.push(`result.headers: ${JSON.stringify(name)} is not a valid header name`);
      continue;
    }
    if (!HEADER_VALUE.test(value)) problems.push(`result.headers.${name}: the value contains a line break or control character`);
    else if (FRAMING_HEADERS.has(lower)) problems.push(`result.headers.${name}: Node sets this header; remove it`);
    else if (lower === 'set-cookie') problems.push(`result.headers.${name}: use context.setCookie(name, value, options) instead`);
    else if (forView && RESERVED_HEADERS.has(lower)) problems.push(`result.headers.${name}: Atoll sets this header for a view; use cache.ttl, or return { body } to send your own`);
    else if (lower === 'location' && !SAFE_REDIRECT.test(value))
      problems.push(`result.headers.${name}: ${JSON.stringify(value)} must start with a single "/" or with http:// or https://`);
    else if (Object.hasOwn(headers, lower)) problems.push(`result.headers.${name}: given twice (header names are case-insensitive)`);
    else headers[lower] = value;
  }
  return { ...headers };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'function' ? 'a function' : `a ${typeof value}`;
}
