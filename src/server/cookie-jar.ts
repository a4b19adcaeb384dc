import type { FastifyReply } from 'fastify';
import type {} from '@fastify/cookie';
import type { App } from '../app.js';
import type { CookieJar, CookieOptions } from '../input/types.js';

/**
 * Set-Cookie on one reply through @fastify/cookie, for actions and route handlers alike:
 * path basePath (or "/"), HttpOnly, SameSite=Lax, and signed with COOKIE_SECRET when it is set,
 * unless the caller's options say otherwise.
 */
export function cookieJar(app: App, reply: FastifyReply): CookieJar {
  const secret = app.options.cookieSecret;
  const defaults: CookieOptions = { path: app.config.basePath || '/', httpOnly: true, sameSite: 'lax', signed: secret !== undefined };
  return {
    set: (name, value, options) => void reply.setCookie(name, value, { ...defaults, ...options }),
    clear: (name, options) => void reply.clearCookie(name, { path: defaults.path, ...options }),
  };
}
