import type { PageBuffers } from './page-buffers.js';

/**
 * Rendered HTML: a string, or UTF-8 bytes when some of it was already encoded (a stored
 * fragment's shadow root, see cache/fragment-cache.ts). Bytes are what a page made mostly of
 * stored fragments is sent as: encoding a 30 KB string again on every request (flattening the
 * rope Lit's chunks make, then UTF-8) cost about half of such a page's time on Node 22.
 */
export type RenderedHtml = string | Buffer;

/**
 * A collected body: a string, or, when bytes took part, its runs of text and its Buffers in
 * order. The parts are joined once, with the page around them (surround): joining the body first
 * and the page after copied the 30 KB of a stored fragment twice per request.
 */
export type CollectedHtml = string | readonly (string | Buffer)[];

/**
 * Joins a Lit RenderResult (strings, thunks, nested iterables, promises, and the Buffers of
 * reused fragments) in the order Lit's collectResult() does. Returns a string when no chunk was a
 * Buffer, else the parts: each run of strings joined, the Buffers as they are.
 * Nested iterables are walked on one stack, not awaited one by one as collectResult() does: a
 * page awaits only where a chunk is a promise (an async directive).
 */
export async function collectHtml(result: Iterable<unknown>): Promise<CollectedHtml> {
  let text = '';
  let parts: (string | Buffer)[] | undefined;
  const stack: Iterator<unknown>[] = [result[Symbol.iterator]()];
  while (stack.length > 0) {
    const next = stack[stack.length - 1]!.next();
    if (next.done === true) {
      stack.pop();
      continue;
    }
    let value: unknown = next.value;
    for (;;) {
      while (typeof value === 'function') value = (value as () => unknown)();
      if (value === undefined) break;
      if (typeof value === 'string') {
        text += value;
        break;
      }
      if (Buffer.isBuffer(value)) {
        parts ??= [];
        if (text !== '') parts.push(text);
        parts.push(value);
        text = '';
        break;
      }
      if (typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function') {
        stack.push((value as Iterable<unknown>)[Symbol.iterator]());
        break;
      }
      if (typeof (value as PromiseLike<unknown>).then !== 'function') throw new TypeError(`Unexpected value in a Lit RenderResult: ${String(value)} (${typeof value})`);
      value = await value;
    }
  }
  if (parts === undefined) return text;
  if (text !== '') parts.push(text);
  return parts;
}

/**
 * `before`, the HTML, then `after`, as one string or (when the HTML has bytes) as bytes, copied
 * once, into memory from `buffers` when given (a page nobody keeps, see page-buffers.ts).
 */
export function surround(before: string, html: CollectedHtml, after: string, buffers?: PageBuffers): RenderedHtml {
  if (typeof html === 'string') return before + html + after;
  let size = Buffer.byteLength(before, 'utf8') + Buffer.byteLength(after, 'utf8');
  for (const part of html) size += typeof part === 'string' ? Buffer.byteLength(part, 'utf8') : part.length;
  // Unsafe (not zeroed, maybe another page's memory) is safe only because the writes below fill
  // every byte that byteLength counted; the check makes sure, so no stale byte is ever sent.
  const page = buffers === undefined ? Buffer.allocUnsafe(size) : buffers.take(size);
  let at = page.write(before, 0, 'utf8');
  for (const part of html) at += typeof part === 'string' ? page.write(part, at, 'utf8') : part.copy(page, at);
  at += page.write(after, at, 'utf8');
  if (at !== size) throw new Error(`A page's bytes came out ${at} long, not the ${size} counted`);
  return page;
}

/** The HTML as a string (decoding bytes), for the places that build on it as text. */
export function htmlText(html: CollectedHtml | RenderedHtml): string {
  if (typeof html === 'string') return html;
  if (Buffer.isBuffer(html)) return html.toString('utf8');
  return html.map((part) => (typeof part === 'string' ? part : part.toString('utf8'))).join('');
}
