import { parseCookie } from 'cookie';

const NONE: Readonly<Record<string, string | undefined>> = Object.freeze(Object.create(null) as Record<string, string | undefined>);

/**
 * The `Cookie` request header as name → value, by the `cookie` package (the parser
 * @fastify/cookie uses). Its result has no Object.prototype in its chain, so `__proto__` or
 * `constructor` are names like any other. Node joins repeated Cookie headers with "; ".
 */
export function parseCookies(header: string | readonly string[] | undefined): Readonly<Record<string, string | undefined>> {
  if (header === undefined || header === '') return NONE;
  return parseCookie(typeof header === 'string' ? header : header.join('; '));
}
