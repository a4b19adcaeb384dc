import { readFileSync } from 'node:fs';
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
  const tests = ['test/server/pages.test.ts', 'test/server/app-variants.test.ts', 'test/config/load-config.test.ts', 'test/cli/start.test.ts', 'test/generate/generate.test.ts', 'test/security/failure-isolation.test.ts', 'test/security/limits.test.ts']
    .map((file) => readFileSync(path.join(REPO_ROOT, file), 'utf8'))
    .join('\n');
  for (const code of Object.keys(errors)) expect(tests, code).toContain(code);
});
