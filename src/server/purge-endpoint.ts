import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { App } from '../app.js';
import { tagProblem } from '../cache/cache-tags.js';

export const PURGE_PATH = '/_atoll/purge';

/**
 * `POST <basePath>/_atoll/purge` with `Authorization: Bearer <token>` and JSON
 * `{ "tags": [...], "paths": [...], "hard": false }` → 200 `{ "purged": n }`, n counting
 * pages and fragments.
 * Registered only when a token is set (otherwise the path is an ordinary 404). A missing or
 * wrong token is 401; tokens are compared as SHA-256 digests in constant time, so neither
 * their content nor their length leaks through timing. Bad bodies are 400 with the reason.
 */
export function registerPurgeEndpoint(server: FastifyInstance, app: App, token: string | undefined): void {
  if (token === undefined || token === '') return;
  const expected = digest(token);
  server.post(`${app.config.basePath}${PURGE_PATH}`, async (request, reply) => {
    const header = request.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    if (!timingSafeEqual(digest(given), expected)) {
      return reply.status(401).header('www-authenticate', 'Bearer').send({ error: 'purge needs Authorization: Bearer <ATOLL_PURGE_TOKEN>' });
    }
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (typeof body !== 'object' || Array.isArray(body))
      return reply.status(400).send({ error: 'the body must be a JSON object { "tags": [...], "paths": [...], "hard": false }' });
    const tags = body['tags'] ?? [];
    const paths = body['paths'] ?? [];
    const problem = tagProblem(tags, 'tags') ?? pathProblem(paths);
    if (problem !== undefined) return reply.status(400).send({ error: problem });
    if (body['hard'] !== undefined && typeof body['hard'] !== 'boolean') return reply.status(400).send({ error: 'hard must be true or false' });
    const selector = { tags: tags as string[], paths: paths as string[], hard: body['hard'] === true };
    // Fragments first: a page refreshed after its soft purge must not be rebuilt from them.
    const purged = (app.fragmentCache?.purge(selector) ?? 0) + (app.pageCache?.purge(selector) ?? 0);
    // Every other instance and the shared tier: counted in `purged` only for this instance.
    app.shared?.purge(selector);
    return reply.status(200).header('cache-control', 'no-store').send({ purged });
  });
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function pathProblem(paths: unknown): string | undefined {
  if (!Array.isArray(paths)) return 'paths must be an array of strings';
  if (paths.length > 64) return `paths has ${paths.length} entries; at most 64 are allowed`;
  for (const [i, p] of paths.entries()) {
    if (typeof p !== 'string' || !p.startsWith('/') || p.length > 2048 || /[\x00-\x20\x7f?#]/.test(p)) {
      return `paths[${i}] must be a path starting with "/" without query, spaces or control characters`;
    }
  }
  return undefined;
}
