import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CHROMIUM } from './helpers/browser.js';

/** The browser tests need Debian's Chromium; install it when missing (CI and fresh machines run as root). */
export default function setup(): void {
  if (existsSync(CHROMIUM)) return;
  console.log('Installing Chromium for the browser tests (apt-get install chromium)…');
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}
