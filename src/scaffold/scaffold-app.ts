import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { atollError } from '../errors.js';
import { ATOLL_ROOT } from '../package-root.js';

const STARTER = path.join(ATOLL_ROOT, 'starter');
/** npm pack drops a file named .gitignore from a package, so the starter ships it without the dot. */
const RENAMED: Readonly<Record<string, string>> = { gitignore: '.gitignore' };

interface AtollManifest {
  readonly version: string;
  readonly dependencies: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
}

/**
 * `atoll new <dir>`: writes the starter app (starter/ in this package) into `dir`, which must not
 * exist or be empty, plus a package.json that depends on this version of Atoll and on the Lit
 * and TypeScript versions Atoll itself is built and tested with. Never overwrites a file.
 */
export function scaffoldApp(target: string): { dir: string; files: string[] } {
  const dir = path.resolve(target);
  refuseNonEmpty(dir);
  const manifest = JSON.parse(readFileSync(path.join(ATOLL_ROOT, 'package.json'), 'utf8')) as AtollManifest;
  const files = new Map<string, string | Buffer>([['package.json', `${JSON.stringify(appManifest(path.basename(dir), manifest), null, 2)}\n`]]);
  for (const file of readdirSync(STARTER, { recursive: true, encoding: 'utf8' }).sort()) {
    const source = path.join(STARTER, file);
    if (!statSync(source).isFile()) continue;
    const name = path.join(path.dirname(file), RENAMED[path.basename(file)] ?? path.basename(file));
    files.set(name, readFileSync(source));
  }
  for (const [name, content] of files) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    // 'wx': fails instead of overwriting, should something appear in the folder meanwhile.
    writeFileSync(path.join(dir, name), content, { flag: 'wx' });
  }
  return { dir, files: [...files.keys()] };
}

function refuseNonEmpty(dir: string): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'ENOTDIR') throw atollError('ATOLL_NEW_TARGET_NOT_EMPTY', [dir, []]);
    throw error;
  }
  if (entries.length > 0) throw atollError('ATOLL_NEW_TARGET_NOT_EMPTY', [dir, entries.sort()]);
}

function appManifest(folder: string, atoll: AtollManifest) {
  return {
    name: packageName(folder),
    version: '0.1.0',
    private: true,
    type: 'module',
    scripts: {
      dev: 'atoll dev',
      start: 'atoll serve',
      check: 'atoll check',
      generate: 'atoll generate',
      typecheck: 'tsc --noEmit',
      test: 'node --test test/home.test.mjs',
    },
    dependencies: { atoll: `^${atoll.version}`, lit: atoll.dependencies['lit'] },
    devDependencies: { typescript: atoll.devDependencies?.['typescript'] },
  };
}

/** npm's rules: lower case, URL-safe, no leading dot or underscore, at most 214 characters. */
function packageName(folder: string): string {
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[._-]+/, '')
    .slice(0, 214);
  return name === '' ? 'atoll-app' : name;
}
