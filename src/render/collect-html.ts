/**
 * Rendered HTML: a string, or UTF-8 bytes when some of it was already encoded (a stored
 * fragment's shadow root, see cache/fragment-cache.ts). Bytes are what a page made mostly of
 * stored fragments is sent as: encoding a 30 KB string again on every request (flattening the
 * rope Lit's chunks make, then UTF-8) cost about half of such a page's time on Node 22.
 */
export type RenderedHtml = string | Buffer;

/**
 * Joins a Lit RenderResult (strings, thunks, nested iterables, promises, and the Buffers of
 * reused fragments) in the order Lit's collectResult() does. Returns a string when no chunk was a
 * Buffer, else the bytes: each run of strings encoded once, the Buffers copied as they are.
 * Nested iterables are walked on one stack, not awaited one by one as collectResult() does: a
 * page awaits only where a chunk is a promise (an async directive).
 */
export async function collectHtml(result: Iterable<unknown>): Promise<RenderedHtml> {
  let text = '';
  let parts: Buffer[] | undefined;
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
        if (text !== '') parts.push(Buffer.from(text, 'utf8'));
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
  if (text !== '') parts.push(Buffer.from(text, 'utf8'));
  return Buffer.concat(parts);
}

/** `before`, the HTML, then `after`, as one string or (when the HTML is bytes) as bytes. */
export function surround(before: string, html: RenderedHtml, after: string): RenderedHtml {
  if (typeof html === 'string') return before + html + after;
  return Buffer.concat([Buffer.from(before, 'utf8'), html, Buffer.from(after, 'utf8')]);
}

/** The HTML as a string (decoding bytes), for the places that build on it as text. */
export function htmlText(html: RenderedHtml): string {
  return typeof html === 'string' ? html : html.toString('utf8');
}
