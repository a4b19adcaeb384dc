import { Readable } from 'node:stream';
import type { CompiledBody } from '../templates/compile-body.js';
import { renderBodyResult, type BodyRenderers, type ElementFallback } from './render-body.js';
import { bindToLocale, type StepRunner } from './localize.js';

/** Chunks of at least this many characters: one socket write per small Lit string made streaming 5–8× slower than collectResult() on the reference page; 16 KB batches brought it to 0.74–0.90× (measured before streaming was built). */
const MIN_CHUNK = 16 * 1024;

/** Written last when a render fails after the first byte, before the socket is destroyed. */
export const STREAM_ERROR_MARKER = '\n<!-- atoll: rendering failed here; this page is incomplete -->\n';

/**
 * The page as a stream: `before`, the Lit render of the body, then `after`, pulled by the socket
 * (backpressure) in chunks of at least MIN_CHUNK. Lit's RenderResultReadable is not used: a
 * component that throws there ends the stream as if complete (a truncated 200) and its error becomes an
 * unhandled rejection that exits Node.
 * Here a throw writes STREAM_ERROR_MARKER, reports through onError, and errors the stream, so
 * the server destroys the socket: the client never sees a clean 200.
 */
export function streamPage(
  before: string,
  body: CompiledBody,
  propsByRoot: readonly unknown[],
  ssr: boolean,
  renderers: BodyRenderers,
  after: string,
  hooks: { onElement: (tag: string) => void; onFallback: (fallback: ElementFallback) => void; onError: (error: unknown) => void; onDone: (length: number) => void },
): Readable {
  // The socket pulls this stream outside the request's async context: every render step
  // re-enters the request's locale (render/localize.ts).
  const step = bindToLocale();
  async function* generate(): AsyncGenerator<string | Buffer> {
    const state = { buffer: before, length: 0 };
    try {
      const result = step(() => renderBodyResult(body, propsByRoot, ssr, renderers, hooks));
      for await (const chunk of chunks(result, state, step)) {
        yield chunk;
        // Between chunks, let I/O and timers run: concurrent streams would otherwise render in
        // one unbroken microtask chain.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } catch (error) {
      hooks.onError(error);
      yield state.buffer + STREAM_ERROR_MARKER;
      throw error;
    }
    state.length += state.buffer.length + after.length;
    hooks.onDone(state.length);
    yield state.buffer + after;
  }
  return Readable.from(generate(), { objectMode: false });
}

/**
 * Walks a Lit RenderResult as collectResult does (thunks, nested iterables, promises), yielding
 * full chunks; a reused fragment's bytes (render/collect-html.ts) go out as they are.
 */
async function* chunks(result: Iterable<unknown>, state: { buffer: string; length: number }, step: StepRunner): AsyncGenerator<string | Buffer> {
  const iterator = step(() => result[Symbol.iterator]());
  for (let next = step(() => iterator.next()); next.done !== true; next = step(() => iterator.next())) {
    let value: unknown = next.value;
    while (value !== undefined) {
      while (typeof value === 'function') value = step(value as () => unknown);
      if (value === undefined) break;
      if (typeof value === 'string') {
        state.buffer += value;
        if (state.buffer.length >= MIN_CHUNK) {
          state.length += state.buffer.length;
          const full = state.buffer;
          state.buffer = '';
          yield full;
        }
        break;
      }
      if (Buffer.isBuffer(value)) {
        state.length += state.buffer.length + value.length;
        const text = state.buffer;
        state.buffer = '';
        if (text !== '') yield text;
        yield value;
        break;
      }
      if (Array.isArray(value) || typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function') {
        yield* chunks(value as Iterable<unknown>, state, step);
        break;
      }
      value = await (value as Promise<unknown>);
    }
  }
}
