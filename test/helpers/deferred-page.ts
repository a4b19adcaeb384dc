import { request } from 'node:http';
import { createBrotliDecompress, createGunzip } from 'node:zlib';
import { expect } from 'vitest';
import { parse, type DefaultTreeAdapterMap } from 'parse5';

/**
 * Gates for held data hooks: an app's component (running in the test process) calls
 * `globalThis.__streamGate(key)` and gets a promise that settles when the test calls
 * `release(key, value)` — with `value`, or rejected when `value` is an Error. Order, not time.
 */
type Gate = { promise: Promise<unknown>; release: (value: unknown) => void };
const gates = new Map<string, Gate>();
function gate(key: string): Gate {
  let found = gates.get(key);
  if (found === undefined) {
    let release!: (value: unknown) => void;
    const promise = new Promise((resolve) => (release = resolve));
    found = { promise, release };
    gates.set(key, found);
  }
  return found;
}
export const release = (key: string, value: unknown): void => gate(key).release(value);
(globalThis as Record<string, unknown>)['__streamGate'] = (key: string) =>
  gate(key).promise.then((value) => {
    if (value instanceof Error) throw value;
    return value;
  });

/** A data hook held on the gate `<query.run>:<props.name>`. */
export const GATED_HOOK = `export const getServerData = ({ props, query }) => globalThis.__streamGate(query.run + ':' + props.name);`;

export interface Arrived {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

/**
 * A GET over a real socket whose body is read as it arrives (decompressed as it arrives when the
 * response is gzip or br; `send` makes it another method with a body): `until(text)` resolves once the body so far contains `text`.
 */
export function openPage(port: number, target: string, headers: Record<string, string> = {}, send?: { method: string; body: string }) {
  let body = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  let onEnd!: (value: Arrived) => void;
  let onError!: (error: unknown) => void;
  const done = new Promise<Arrived>((resolve, reject) => {
    onEnd = resolve;
    onError = reject;
  });
  const outgoing = request({ host: '127.0.0.1', port, path: target, headers, method: send?.method ?? 'GET' }, (response) => {
    const encoding = response.headers['content-encoding'];
    const text = encoding === 'gzip' ? response.pipe(createGunzip()) : encoding === 'br' ? response.pipe(createBrotliDecompress()) : response;
    text.setEncoding('utf8');
    text.on('data', (chunk: string) => {
      body += chunk;
      for (const waiter of waiters.splice(0)) {
        if (body.includes(waiter.text)) waiter.resolve();
        else waiters.push(waiter);
      }
    });
    text.on('error', onError);
    text.on('end', () => onEnd({ status: response.statusCode!, headers: response.headers, body }));
  });
  outgoing.on('error', onError);
  outgoing.end(send?.body);
  return {
    done,
    get body() {
      return body;
    },
    until: (text: string) =>
      new Promise<void>((resolve) => {
        if (body.includes(text)) resolve();
        else waiters.push({ text, resolve });
      }),
  };
}

/** One complete document: parse5 reports no parse error, and the text ends with `</html>`. */
export function expectCompleteDocument(html: string): DefaultTreeAdapterMap['document'] {
  const errors: string[] = [];
  const document = parse(html, { onParseError: (error) => errors.push(`${error.code} at ${error.startOffset}`) });
  expect(errors).toEqual([]);
  expect(html.trimEnd().endsWith('</html>')).toBe(true);
  return document;
}
