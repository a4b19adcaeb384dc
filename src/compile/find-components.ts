import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const TAG = /^[a-z][a-z0-9._]*-[a-z0-9._-]*$/;
const EXTENSIONS = ['.ts', '.js'] as const;

/**
 * Maps each tag to its module: `components/<tag>.ts|.js` or `components/<tag>/index.ts|.js`.
 * A missing components/ folder means an app with no components.
 */
export function findComponents(appRoot: string): ReadonlyMap<string, string> {
  const dir = path.join(appRoot, 'components');
  const found = new Map<string, string>();
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return found;
    throw error;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry);
    const ext = EXTENSIONS.find((e) => entry.endsWith(e) && !entry.endsWith(`.d${e}`));
    if (ext !== undefined && TAG.test(entry.slice(0, -ext.length)) && statSync(full).isFile()) {
      found.set(entry.slice(0, -ext.length), full);
    } else if (TAG.test(entry) && statSync(full).isDirectory()) {
      const index = EXTENSIONS.map((e) => path.join(full, `index${e}`)).find(isFile);
      if (index !== undefined) found.set(entry, index);
    }
  }
  return found;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
