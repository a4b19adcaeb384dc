import { parseCookie } from 'cookie';
import fastifyCookie from '@fastify/cookie';

const NONE: Readonly<Record<string, string | undefined>> = Object.freeze(Object.create(null) as Record<string, string | undefined>);

/**
 * The `Cookie` request header as name → value, by the `cookie` package (the parser
 * @fastify/cookie uses). Its result has no Object.prototype in its chain, so `__proto__` or
 * `constructor` are names like any other. Node joins repeated Cookie headers with "; ".
 * With a secret (COOKIE_SECRET), only cookies signed with it are kept, their signature removed
 * (verified by @fastify/cookie's signer, which setCookie signs with): a cookie a visitor edited
 * or made up is absent rather than trusted.
 */
export function parseCookies(header: string | readonly string[] | undefined, secret?: string): Readonly<Record<string, string | undefined>> {
  if (header === undefined || header === '') return NONE;
  const cookies = parseCookie(typeof header === 'string' ? header : header.join('; '));
  if (secret === undefined) return cookies;
  const verified = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(cookies)) {
    if (value === undefined) continue;
    const unsigned = fastifyCookie.unsign(value, secret);
    if (unsigned.valid && unsigned.value !== null) verified[name] = unsigned.value;
  }
  return verified;
}
