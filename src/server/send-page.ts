import type { FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';

/** Sends a page (from the pipeline or an error page) as it is: status, headers, body. */
export function sendPage(reply: FastifyReply, page: { status: number; headers: Readonly<Record<string, string>>; body: string | Buffer | Readable }) {
  return reply.status(page.status).headers(page.headers).send(page.body);
}
