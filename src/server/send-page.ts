import type { FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';
import type { PageBuffers } from '../render/page-buffers.js';

/**
 * Sends a page (from the pipeline or an error page) as it is: status, headers, body. A body lent
 * by `buffers` goes back to them once the response finished.
 */
export function sendPage(reply: FastifyReply, page: { status: number; headers: Readonly<Record<string, string>>; body: string | Buffer | Readable }, buffers?: PageBuffers) {
  buffers?.giveBackAfter(reply.raw, page.body);
  return reply.status(page.status).headers(page.headers).send(page.body);
}
