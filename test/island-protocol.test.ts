import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import * as protocol from '../src/island-protocol.js';
import { REPO_ROOT } from './helpers/recipe.js';

const SRC = path.join(REPO_ROOT, 'src');
const sources = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts') && file !== 'island-protocol.ts')
  .map((file) => ({ file, text: withoutComments(readFileSync(path.join(SRC, file), 'utf8')) }));

/** Doc comments may name an attribute; code may not. */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

const quoted = (value: string) => new RegExp(`(['"\`])${value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\1`);

// The names the server writes and the browser runtime reads: a copy of one in another module
// could drift from it. Short generic words (`hydrate`) are checked as quoted string literals.
const names = Object.entries(protocol as Record<string, unknown>).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
test.each(names)('%s is spelled out only in src/island-protocol.ts', (_name, value) => {
  const copies = sources.filter(({ text }) => quoted(value).test(text)).map(({ file }) => file);
  expect(copies).toEqual([]);
});

// Event names are common words, so they are checked where they would be a copy: the browser
// code. The hydrate modes are the HydrateMode type, so tsc rejects a misspelt comparison.
const eventLists = Object.entries(protocol as Record<string, unknown>).filter(
  (entry): entry is [string, readonly string[]] => Array.isArray(entry[1]) && entry[0] !== 'HYDRATE_MODES',
);
test('the event lists are checked', () => expect(eventLists.map(([name]) => name).sort()).toEqual(['CANCELLED_EVENTS', 'REPLAYED_EVENTS', 'WAKE_EVENTS']));
test.each(eventLists)('%s are spelled out nowhere in src/client/', (_name, values) => {
  const copies = sources.filter(({ file, text }) => file.startsWith('client/') && values.some((v) => quoted(v).test(text))).map(({ file }) => file);
  expect(copies).toEqual([]);
});

test('the browser runtime and the server modules import the protocol', () => {
  const importers = sources.filter(({ text }) => text.includes("from '../island-protocol.js'")).map(({ file }) => file);
  expect(importers).toEqual(expect.arrayContaining(['client/runtime.ts', 'templates/compile-body.ts', 'serialize/island-props-scripts.ts', 'compile/build-client.ts']));
});
