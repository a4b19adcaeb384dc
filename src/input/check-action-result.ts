import { Ajv } from 'ajv';
import { formatAjvErrors } from '../config/format-ajv-errors.js';
import { HEADER_VALUE, SAFE_REDIRECT } from '../data/validate-data-result.js';
import { REDIRECT_RESULT_SCHEMA, STATUS_RESULT_SCHEMA } from './action-result-schema.js';

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
const validateRedirect = ajv.compile(REDIRECT_RESULT_SCHEMA);
const validateStatus = ajv.compile(STATUS_RESULT_SCHEMA);

export type CheckedActionResult = { readonly redirect: string } | { readonly status: number; readonly data: unknown };

/**
 * Reads an action's return value: `{ redirect }`, `{ status?, data? }`, or anything else as data
 * with status 200. Data must survive JSON (it is sent as JSON in JSON mode and may be given to
 * islands): a cycle or a bigint is a problem, reported with the others.
 */
export function checkActionResult(value: unknown): { problems: string[] } | CheckedActionResult {
  if (value === undefined || value === null) return { status: 200, data: null };
  if (isObject(value) && Object.hasOwn(value, 'redirect')) {
    if (!validateRedirect(value)) return { problems: formatAjvErrors(validateRedirect.errors ?? []).map((p) => `result${p.startsWith('(') ? '' : '.'}${p}`) };
    const { redirect } = value as { redirect: string };
    if (!SAFE_REDIRECT.test(redirect)) return { problems: [`result.redirect: ${JSON.stringify(redirect)} must start with a single "/" or with http:// or https://`] };
    if (!HEADER_VALUE.test(redirect)) return { problems: ['result.redirect: contains a line break or control character; percent-encode it'] };
    return { redirect };
  }
  const shaped = isObject(value) && Object.keys(value).length > 0 && Object.keys(value).every((key) => key === 'status' || key === 'data');
  if (shaped && !validateStatus(value)) return { problems: formatAjvErrors(validateStatus.errors ?? []).map((p) => `result${p.startsWith('(') ? '' : '.'}${p}`) };
  const status = shaped ? ((value as { status?: number }).status ?? 200) : 200;
  const data = shaped ? ((value as { data?: unknown }).data ?? null) : value;
  try {
    JSON.stringify(data);
  } catch (error) {
    return { problems: [`result${shaped ? '.data' : ''}: not JSON (${error instanceof Error ? error.message : String(error)})`] };
  }
  return { status, data };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
