import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Writes build outputs whose names carry a content hash. A file that exists already has the
 * same bytes, so it is left alone; a new one is written beside it and renamed into place, so a
 * concurrent process (parallel test files, two servers) never imports a half-written file.
 */
export function writeContentAddressed(files: readonly { path: string; contents: Uint8Array }[]): void {
  for (const file of files) {
    if (existsSync(file.path)) continue;
    mkdirSync(path.dirname(file.path), { recursive: true });
    const temporary = `${file.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
  }
}
