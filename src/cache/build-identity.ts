import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { App } from '../app.js';
import { ATOLL_ROOT } from '../package-root.js';

/**
 * The build's identity, in every shared-tier key: the Atoll version, the compiled server
 * components (their esbuild module names carry a content hash of the code and its imports),
 * the island code's content-hashed names, the config file and every template. Two instances
 * share entries exactly when they run the same build; a deploy starts with an empty shared
 * tier instead of serving pages the previous build rendered.
 */
export function buildIdentity(app: App): string {
  const hash = createHash('sha256');
  const version = (JSON.parse(readFileSync(path.join(ATOLL_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  hash.update(`atoll ${version}\n`);
  for (const [tag, component] of [...app.components].sort(([a], [b]) => (a < b ? -1 : 1))) hash.update(`component ${tag} ${component.moduleName}\n`);
  for (const url of [...(app.client?.files.keys() ?? [])].sort()) hash.update(`client ${url}\n`);
  for (const [routeId, handler] of [...app.handlers].sort(([a], [b]) => (a < b ? -1 : 1))) hash.update(`handler ${routeId} ${handler.moduleName}\n`);
  const templates = new Set<string>([app.config.configFile]);
  for (const plan of [...app.pages.routes.values(), ...app.pages.errorPages.values(), ...[...app.pages.views.values()].flat()]) {
    if (plan.page.content.kind === 'template') templates.add(plan.page.content.file);
    if (plan.page.layoutFile !== undefined) templates.add(plan.page.layoutFile);
  }
  for (const file of [...templates].sort())
    hash
      .update(`file ${path.relative(app.config.root, file)}\n`)
      .update(readFileSync(file))
      .update('\n');
  return `${version}-${hash.digest('base64url').slice(0, 16)}`;
}
