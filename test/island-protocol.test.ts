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

// The names the server writes and the browser runtime reads: a copy of one in another module
// could drift from it. Short generic words (`hydrate`) are checked as quoted string literals.
test.each(Object.entries(protocol))('%s is spelled out only in src/island-protocol.ts', (_name, value) => {
  const literal = new RegExp(`(['"\`])${value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\1`);
  const copies = sources.filter(({ text }) => literal.test(text)).map(({ file }) => file);
  expect(copies).toEqual([]);
});

test('the browser runtime and the server modules import the protocol', () => {
  const importers = sources.filter(({ text }) => text.includes("from '../island-protocol.js'")).map(({ file }) => file);
  expect(importers).toEqual(expect.arrayContaining(['client/runtime.ts', 'templates/compile-body.ts', 'serialize/island-props-scripts.ts', 'compile/build-client.ts']));
});
