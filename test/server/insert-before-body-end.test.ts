import { PassThrough, Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { expect, test } from 'vitest';
import { insertBeforeBodyEnd, insertBeforeBodyEndStream } from '../../src/server/insert-before-body-end.js';

const SCRIPT = '<script>reload()</script>\n';

test.each([
  ['<html><body><p>x</p></body></html>', '<html><body><p>x</p><script>reload()</script>\n</body></html>'],
  ['<p>no end tag</p>', '<p>no end tag</p><script>reload()</script>\n'],
  ['<body>a</body>b</body>c', '<body>a</body>b<script>reload()</script>\n</body>c'],
  ['</bod', '</bod<script>reload()</script>\n'],
])('%s gets the script before its last </body>, streamed in two chunks cut anywhere, and whole', async (page, expected) => {
  expect(insertBeforeBodyEnd(page, SCRIPT)).toBe(expected);
  for (let cut = 0; cut <= page.length; cut++) {
    const chunks = [page.slice(0, cut), page.slice(cut)].map((chunk) => Buffer.from(chunk));
    expect(await text(insertBeforeBodyEndStream(Readable.from(chunks), SCRIPT))).toBe(expected);
  }
});

test('a multi-byte character cut by a chunk boundary stays whole', async () => {
  const bytes = Buffer.from('<p>é€</p></body>');
  const chunks = [bytes.subarray(0, 4), bytes.subarray(4, 6), bytes.subarray(6)];
  expect(await text(insertBeforeBodyEndStream(Readable.from(chunks), SCRIPT))).toBe(`<p>é€</p>${SCRIPT}</body>`);
});

test('what comes before a </body> is passed on at once: a page held open is not held back', async () => {
  const source = new PassThrough();
  const out = insertBeforeBodyEndStream(source, SCRIPT);
  out.setEncoding('utf8');
  const first = new Promise<string>((resolve) => out.once('data', resolve));
  source.write('<body><p>first chunk</p>');
  // The page is still open (its fills have not come): the first chunk has arrived all the same.
  expect(await first).toBe('<body><p>first chunk</p>');
  const rest = text(out);
  source.end('<template>fill</template></body></html>');
  expect(await rest).toBe(`<template>fill</template>${SCRIPT}</body></html>`);
});
