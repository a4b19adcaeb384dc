import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM } from './helpers/browser.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The Debian packages the suite starts, by the binary each installs. */
const PACKAGES: readonly (readonly [binary: string, pkg: string])[] = [
  [CHROMIUM, 'chromium'],
  ['/usr/bin/redis-server', 'redis-server'],
];

/**
 * Builds dist/ (the JavaScript `npm start` runs; tests that spawn the server use it), and
 * installs Debian's Chromium (browser tests) and redis-server (shared-cache tests) when they are
 * missing, so the README's `npm test` works on a fresh machine as `.ci/run` does (both run as root).
 *
 * Every temporary folder of the run (throwaway apps, generated sites, Chromium's profiles, child
 * servers') is made under one folder that the teardown removes: test files make thousands, and
 * removing each in its own file's hooks missed the ones a failed test left. os.tmpdir() reads
 * TMPDIR, which the test processes and their children inherit.
 */
export default function setup(): () => void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
  installMissingPackages();
  const previousTmpdir = process.env.TMPDIR;
  const runTmp = mkdtempSync(path.join(tmpdir(), 'atoll-test-run-'));
  process.env.TMPDIR = runTmp;
  const teardown = () => {
    if (previousTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previousTmpdir;
    rmSync(runTmp, { recursive: true, force: true });
  };
  return teardown;
}

function installMissingPackages(): void {
  const missing = PACKAGES.filter(([binary]) => !existsSync(binary)).map(([, pkg]) => pkg);
  if (missing.length === 0) return;
  console.log(`Installing what the tests start (apt-get install ${missing.join(' ')})…`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}
