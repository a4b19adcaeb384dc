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
 * A page loads the runtime and the modules of its own islands (and, with translations, the
 * locale's), nothing else; a page without islands gets no markup at all (and so ships no
 * JavaScript). One markup per page and locale, fixed at startup.
 */
export function clientMarkup(roots: readonly RootElement[], bundle: ClientBundle | undefined, dev: boolean, locale: string): ClientMarkup {
  const islands = roots.filter((root) => root.hydrate !== undefined);
  if (islands.length === 0 || bundle === undefined) return NO_CLIENT_MARKUP;
  const modules: Record<string, string> = {};
  const preload = new Set<string>([bundle.runtime.url, ...bundle.runtime.imports]);
  // With translations, the page's locale is set (its templates loaded) before any island starts.
  let localize: { module: string; locale: string } | undefined;
  if (bundle.localize !== undefined) {
    localize = { module: bundle.localize.module.url, locale };
    const templates = bundle.localize.locales.get(locale);
    for (const url of [bundle.localize.module.url, ...bundle.localize.module.imports, ...(templates === undefined ? [] : [templates.url, ...templates.imports])]) preload.add(url);
  }
  for (const root of islands) {
    const module: ClientModule = bundle.islands.get(root.tag)!;
    modules[root.tag] = module.url;
    if (root.hydrate === 'load' || root.hydrate === 'client-only') for (const url of [module.url, ...module.imports]) preload.add(url);
  }
  const head = [...preload].map((url) => `<link rel="modulepreload" href="${escapeHtml(url)}">\n`).join('');
  const options = escapeJsonForScript(JSON.stringify({ modules, dev, ...(localize === undefined ? {} : { localize }) }));
  // With deferred roots the document stays open while their fills arrive: `async` boots the other
  // islands as soon as the runtime loads instead of after the last fill (the runtime then hydrates
  // each filled root when it arrives).
  const async = roots.some((root) => root.defer) ? ' async' : '';
  const body = `<script type="module"${async}>import{boot}from${escapeJsonForScript(JSON.stringify(bundle.runtime.url))};boot(${options});</script>\n`;
  return { head, body };
}
