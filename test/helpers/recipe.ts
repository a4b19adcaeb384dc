import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApp } from './write-app.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A server for `recipes/<name>` exactly as `npm start -- --root recipes/<name>` builds it. */
export function startRecipe(name: string, options: Parameters<typeof startApp>[1] = {}) {
  return startApp(path.join(REPO_ROOT, 'recipes', name), options);
}

/** Golden HTML file of a recipe page: the exact bytes the server sent, reviewed when it changes. */
export function golden(recipe: string, page: string): string {
  return path.join(REPO_ROOT, 'test', 'recipes', 'golden', recipe, `${page}.html`);
}
