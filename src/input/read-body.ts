import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config.js';
import { type FormRefusal, isRefusal, readForm } from './read-form.js';

/**
 * The body of a request to a route handler, read by fastify's parsers within forms.bodyLimit
 * (413 past it, 400 when malformed, 415 for a type none parses, all before this runs): a form
 * (urlencoded or multipart) as the fields an action gets; JSON as the value fastify parsed
 * (`__proto__` keys refused with 400 by its secure-json-parse); text/plain as a string.
 */
export async function readBody(request: FastifyRequest, forms: AppConfig['forms']): Promise<{ readonly body: unknown } | FormRefusal> {
  const type = String(request.headers['content-type'] ?? '').toLowerCase();
  if (request.isMultipart() || type.startsWith('application/x-www-form-urlencoded')) {
    const fields = await readForm(request, forms);
    return isRefusal(fields) ? fields : { body: fields };
  }
  return { body: request.body };
}
