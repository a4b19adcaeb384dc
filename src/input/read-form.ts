import type { FastifyRequest } from 'fastify';
import type {} from '@fastify/multipart';
import type { AppConfig } from '../config/app-config.js';
import type { FormFields, FormValue } from './types.js';

/** A post Atoll answers without running anything: 400 malformed, 413 too large. */
export interface FormRefusal {
  readonly status: 400 | 413;
  readonly reason: string;
}

/** Fields of one multipart post at most (files are bounded by forms.maxFiles). */
const MAX_FIELDS = 256;

/**
 * The posted fields as one null-prototype object (`__proto__`, `constructor` are field names like
 * any other). urlencoded bodies come parsed by @fastify/formbody and JSON bodies by fastify, both
 * within forms.bodyLimit (413 past it, 400 when malformed, before this runs); multipart is read
 * here part by part through @fastify/multipart, each file into memory within forms.maxFileSize,
 * the fields together within forms.bodyLimit.
 */
export async function readForm(request: FastifyRequest, forms: AppConfig['forms']): Promise<FormFields | FormRefusal> {
  if (request.isMultipart()) return readMultipart(request, forms);
  const body = request.body;
  const fields = Object.create(null) as Record<string, FormValue | FormValue[]>;
  if (body === undefined || body === null) return fields;
  if (typeof body !== 'object' || Array.isArray(body)) return { status: 400, reason: 'a JSON body must be an object of fields' };
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === 'string') fields[name] = value;
    else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) fields[name] = value as string[];
    else fields[name] = JSON.stringify(value);
  }
  return fields;
}

async function readMultipart(request: FastifyRequest, forms: AppConfig['forms']): Promise<FormFields | FormRefusal> {
  const fields = Object.create(null) as Record<string, FormValue | FormValue[]>;
  const add = (name: string, value: FormValue): void => {
    const existing = fields[name];
    if (existing === undefined) fields[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else fields[name] = [existing, value];
  };
  let fieldBytes = 0;
  try {
    const parts = request.parts({
      limits: { fields: MAX_FIELDS, fieldSize: forms.bodyLimit, files: forms.maxFiles, fileSize: forms.maxFileSize, parts: MAX_FIELDS + forms.maxFiles },
    });
    for await (const part of parts) {
      if (part.type === 'file') {
        add(part.fieldname, { filename: part.filename, type: part.mimetype, data: await part.toBuffer() });
        continue;
      }
      if (part.valueTruncated || part.fieldnameTruncated) return { status: 413, reason: `field "${part.fieldname}" is larger than forms.bodyLimit` };
      const value = typeof part.value === 'string' ? part.value : String(part.value);
      fieldBytes += Buffer.byteLength(value) + Buffer.byteLength(part.fieldname);
      if (fieldBytes > forms.bodyLimit) return { status: 413, reason: 'the fields together are larger than forms.bodyLimit' };
      add(part.fieldname, value);
    }
  } catch (error) {
    const status = (error as { statusCode?: unknown }).statusCode;
    if (status === 413) return { status: 413, reason: (error as Error).message };
    // Anything else busboy or the plugin raises while reading is the body's fault: a truncated
    // or malformed multipart stream (the plugin gives 406/400-style codes or none at all).
    return { status: 400, reason: `malformed multipart body: ${error instanceof Error ? error.message : String(error)}` };
  }
  return fields;
}

export function isRefusal(value: FormFields | FormRefusal): value is FormRefusal {
  return Object.getPrototypeOf(value) !== null;
}
