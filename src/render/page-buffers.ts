import type { ServerResponse } from 'node:http';

/** Smaller pages come from Node's own shared pool (Buffer.allocUnsafe), which is already cheap. */
const MIN_POOLED = 4 * 1024;
/** Larger pages are rare and would pin a lot of memory each: they are allocated every time. */
const MAX_POOLED = 1024 * 1024;
/** Free memory kept per worker, at most: room for about 120 pages of 30 KB in flight at once. */
const MAX_FREE_BYTES = 4 * 1024 * 1024;

/**
 * Memory for the bytes of pages that nobody keeps (not stored in the page cache), reused once
 * the response that carried them has finished. A page assembled from stored fragments is one
 * Buffer of about 30 KB per request; allocating a new one each time (a fresh backing store for
 * V8 to account for and free) cost about 12% of the personal page's requests/s on Node 22.
 *
 * The contract that makes reuse safe: a lent buffer is handed to one response only, and is
 * given back only after that response's `finish`, when Node has passed every byte of it to the
 * kernel (or, with compression, after the compressor read it all). A response that never
 * finishes (the client left) never gives it back; the buffer is then simply collected. Whoever
 * keeps a page (the page cache) must never keep a lent buffer: the pipeline lends only for pages
 * that are not storable. Giving back twice, or giving back a buffer not lent, does nothing.
 */
export class PageBuffers {
  /** Free memory by capacity (a power of two). */
  readonly #free = new Map<number, ArrayBuffer[]>();
  readonly #lent = new WeakSet<Buffer>();
  #freeBytes = 0;

  /** A buffer of exactly `size` bytes, uninitialized: the caller writes every byte. */
  take(size: number): Buffer {
    if (size < MIN_POOLED || size > MAX_POOLED) return Buffer.allocUnsafe(size);
    const capacity = 2 ** Math.ceil(Math.log2(size));
    const memory = this.#free.get(capacity)?.pop();
    if (memory !== undefined) this.#freeBytes -= capacity;
    const view = Buffer.from(memory ?? Buffer.allocUnsafeSlow(capacity).buffer, 0, size);
    this.#lent.add(view);
    return view;
  }

  /** Gives `body` back once `response` finished, when it is a buffer this pool lent. */
  giveBackAfter(response: ServerResponse, body: unknown): void {
    if (!Buffer.isBuffer(body) || !this.#lent.has(body)) return;
    response.once('finish', () => this.giveBack(body));
  }

  /** Makes a lent buffer's memory free for the next page. Only once per buffer lent. */
  giveBack(view: Buffer): void {
    if (!this.#lent.delete(view)) return;
    const memory = view.buffer as ArrayBuffer;
    if (this.#freeBytes + memory.byteLength > MAX_FREE_BYTES) return;
    let list = this.#free.get(memory.byteLength);
    if (list === undefined) {
      list = [];
      this.#free.set(memory.byteLength, list);
    }
    list.push(memory);
    this.#freeBytes += memory.byteLength;
  }

  /** Bytes of free memory held now (for tests and the bench). */
  get freeBytes(): number {
    return this.#freeBytes;
  }
}
