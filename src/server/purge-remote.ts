import { atollError } from '../errors.js';
import { PURGE_PATH } from './purge-endpoint.js';

export interface PurgeRequest {
  /** The server's origin plus basePath, e.g. http://127.0.0.1:3000 or https://shop.example/store. */
  readonly url: string;
  readonly token: string;
  readonly tags: readonly string[];
  readonly paths: readonly string[];
  readonly hard: boolean;
}

/** Calls a running server's purge endpoint; resolves to the number of entries purged, rejects with the server's reason. */
export async function purgeRemote(request: PurgeRequest): Promise<number> {
  const endpoint = `${request.url.replace(/\/+$/, '')}${PURGE_PATH}`;
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { authorization: `Bearer ${request.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ tags: request.tags, paths: request.paths, hard: request.hard }),
  });
  const text = await response.text();
  if (response.status === 200) return (JSON.parse(text) as { purged: number }).purged;
  throw atollError('ATOLL_PURGE_REFUSED', [endpoint, response.status, text]);
}
