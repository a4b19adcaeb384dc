import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Atoll's own folder (the one with its package.json), from src/ under tsx and from dist/ when
 * installed: both are one level below it. Its node_modules resolve Lit for app components, and
 * `atoll new` copies its starter/ folder.
 */
export const ATOLL_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
