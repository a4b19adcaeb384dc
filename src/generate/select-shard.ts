import { createHash } from 'node:crypto';
import { atollError } from '../errors.js';

/** One of `count` parts of a site; `index` counts from 1 (`--shard 2/4`). */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Parses `--shard i/n` (1 ≤ i ≤ n ≤ 1024). */
export function parseShard(text: string): Shard {
  const match = /^(\d{1,4})\/(\d{1,4})$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || index < 1 || count < 1 || index > count || count > 1024) throw atollError('ATOLL_GENERATE_SHARD_INVALID', [text]);
  return { index, count };
}

/**
 * Whether a page belongs to this shard: by a hash of its URL, so the split depends on nothing
 * but the URL (not on the order pages are listed in, nor on which other pages exist), every
 * page falls in exactly one shard, and the shards are about equal in size.
 */
export function inShard(url: string, shard: Shard): boolean {
  return createHash('sha256').update(url, 'utf8').digest().readUInt32BE(0) % shard.count === shard.index - 1;
}
