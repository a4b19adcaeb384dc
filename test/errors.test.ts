import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { errors } from '../src/errors.js';
import { REPO_ROOT } from './helpers/recipe.js';

const doc = readFileSync(path.join(REPO_ROOT, 'docs', 'errors.md'), 'utf8');
const documented = new Map([...doc.matchAll(/^## (\S+)\n\*\*(.+?)\.\*\*/gm)].map((m) => [m[1]!, m[2]!]));

test('every catalog code is documented with its title, and every documented code exists', () => {
  expect([...documented.keys()].sort()).toEqual(Object.keys(errors).sort());
  for (const [code, data] of Object.entries(errors)) expect(documented.get(code), code).toBe(data.title);
});

test('every code is raised by at least one test', () => {
  const tests = readdirSync(path.join(REPO_ROOT, 'test'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.ts') && file !== 'errors.test.ts')
    .map((file) => readFileSync(path.join(REPO_ROOT, 'test', file), 'utf8'))
    .join('\n');
  for (const code of Object.keys(errors)) expect(tests, code).toContain(code);
});
