import type { ClientBundle, ClientModule } from '../compile/build-client.js';
import { escapeHtml, escapeJsonForScript } from '../html/escape.js';
import type { RootElement } from '../templates/compile-body.js';

/** The fixed browser markup of one page, computed once at startup. */
export interface ClientMarkup {
  /** `<link rel="modulepreload">` for the runtime and the islands that start on load. */
  readonly head: string;
  /** The module script that boots this page's islands. */
  readonly body: string;
}

export const NO_CLIENT_MARKUP: ClientMarkup = { head: '', body: '' };

/**
 * A page loads the runtime and the modules of its own islands, nothing else; a page without
 * islands gets no markup at all (and so ships no JavaScript).
 */
export function clientMarkup(roots: readonly RootElement[], bundle: ClientBundle | undefined, dev: boolean): ClientMarkup {
  const islands = roots.filter((root) => root.hydrate !== undefined);
  if (islands.length === 0 || bundle === undefined) return NO_CLIENT_MARKUP;
  const modules: Record<string, string> = {};
  const preload = new Set<string>([bundle.runtime.url, ...bundle.runtime.imports]);
  for (const root of islands) {
    const module: ClientModule = bundle.islands.get(root.tag)!;
    modules[root.tag] = module.url;
    if (root.hydrate === 'load' || root.hydrate === 'client-only') for (const url of [module.url, ...module.imports]) preload.add(url);
  }
  const head = [...preload].map((url) => `<link rel="modulepreload" href="${escapeHtml(url)}">\n`).join('');
  const options = escapeJsonForScript(JSON.stringify({ modules, dev }));
  const body = `<script type="module">import{boot}from${escapeJsonForScript(JSON.stringify(bundle.runtime.url))};boot(${options});</script>\n`;
  return { head, body };
}
