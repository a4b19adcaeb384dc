import type { FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyMultipart from '@fastify/multipart';
import type { App } from '../app.js';

/**
 * fastify's own plugins for what a form post carries: urlencoded bodies (@fastify/formbody, whose
 * fast-querystring parser returns a null-prototype object with repeated names as arrays),
 * multipart (@fastify/multipart; its limits are set per read in input/read-form.ts) and
 * Set-Cookie with signing (@fastify/cookie, secret COOKIE_SECRET). Cookie parsing stays off
 * (`hook: false`): data hooks parse the header only when they read context.cookies.
 */
export function registerBodyParsers(server: FastifyInstance, app: App): void {
  const { forms } = app.config;
  server.register(fastifyFormbody, { bodyLimit: forms.bodyLimit });
  server.register(fastifyMultipart, { limits: { fileSize: forms.maxFileSize, files: forms.maxFiles } });
  const secret = app.options.cookieSecret;
  server.register(fastifyCookie, { hook: false, ...(secret === undefined ? {} : { secret }) });
}
