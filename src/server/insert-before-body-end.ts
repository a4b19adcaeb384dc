import { Transform, type Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

const BODY_END = '</body>';

/** `script` before the last `</body>` of a page, or at its end when it has none. */
export function insertBeforeBodyEnd(html: string, script: string): string {
  const at = html.lastIndexOf(BODY_END);
  return at === -1 ? html + script : html.slice(0, at) + script + html.slice(at);
}

/**
 * The same insertion into a page sent in chunks (a page with deferred roots): the same place as
 * insertBeforeBodyEnd would choose in the whole text. Everything before a `</body>` (or before
 * what could be the start of one cut by a chunk boundary) passes at once; only the text from the
 * latest `</body>` on is held, until a later one replaces it or the page ends, so fills sent
 * inside the body are not delayed.
 */
export function insertBeforeBodyEndStream(page: Readable, script: string): Readable {
  const decoder = new StringDecoder('utf8');
  let held = '';
  const release = (transform: Transform, text: string): void => {
    held += text;
    const at = held.lastIndexOf(BODY_END);
    // Without a `</body>` held, keep only a tail that could begin one.
    const keep = at !== -1 ? at : partialEnd(held);
    if (keep > 0) transform.push(held.slice(0, keep));
    held = held.slice(keep);
  };
  const transform = new Transform({
    transform(chunk: Buffer | string, _encoding, done) {
      release(this, typeof chunk === 'string' ? chunk : decoder.write(chunk));
      done();
    },
    flush(done) {
      this.push(insertBeforeBodyEnd(held + decoder.end(), script));
      done();
    },
  });
  page.on('error', (error) => transform.destroy(error));
  return page.pipe(transform);
}

/** Where the longest suffix of `text` that is a proper prefix of `</body>` begins (text.length when none). */
function partialEnd(text: string): number {
  for (let length = Math.min(BODY_END.length - 1, text.length); length > 0; length--) {
    if (BODY_END.startsWith(text.slice(text.length - length))) return text.length - length;
  }
  return text.length;
}
