import type { FragmentHtml } from './fragment-cache.js';
import type { RootElement } from '../templates/compile-body.js';

/**
 * The HTML of roots without getServerData, once per root and locale. Such a root renders from
 * its template attributes alone (and the locale's translations), so its HTML is the same on
 * every request of the build: it is rendered once and emitted again, as the fragment cache does
 * for roots with a TTL. A component whose render reads anything else (the clock, module state)
 * exports `renderEveryRequest = true` and is left out.
 *
 * Keyed by the template's root object: bounded by the app's templates times its locales, and a
 * view compiled per request (a handler's viewParams) leaves nothing behind once it is dropped.
 */
export class StaticRoots {
  readonly #html = new WeakMap<RootElement, Map<string, FragmentHtml>>();

  /** The root's HTML in this locale, once a page rendered it without a fallback. */
  get(root: RootElement, locale: string): FragmentHtml | undefined {
    return this.#html.get(root)?.get(locale);
  }

  /** Where the page keeps what it renders for this root (render/element-renderers.ts calls it). */
  keeper(root: RootElement, locale: string): (html: FragmentHtml) => void {
    return (html) => {
      const byLocale = this.#html.get(root) ?? new Map<string, FragmentHtml>();
      byLocale.set(locale, html);
      this.#html.set(root, byLocale);
    };
  }
}
