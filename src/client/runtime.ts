/**
 * The browser runtime of Atoll (bundled by src/compile/build-client.ts, never run on the server).
 * Lit's hydrate support must be evaluated before any LitElement class is defined, so it is this
 * module's first import and island modules are imported only afterwards.
 */
import '@lit-labs/ssr-client/lit-element-hydrate-support.js';
import { DEFAULT_HYDRATE_MARGIN, DEFER_HYDRATION, HYDRATE_ATTRIBUTE, HYDRATE_MARGIN_ATTRIBUTE, ISLAND_ATTRIBUTE, PROPS_ATTRIBUTE } from '../island-protocol.js';

export interface BootOptions {
  /** tag → URL of the island's module, for the islands on this page only. */
  readonly modules: Readonly<Record<string, string>>;
  /** Report hydration mismatches in the console. */
  readonly dev: boolean;
  /** With translations: the module that configured @lit/localize, and the page's locale. */
  readonly localize?: { readonly module: string; readonly locale: string };
}

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export async function boot(options: BootOptions): Promise<void> {
  // Islands render msg() as they hydrate: the locale's templates must be loaded first, or the
  // first client render would be in the source locale and differ from the server's HTML.
  if (options.localize !== undefined) {
    const { setLocale } = (await import(/* @vite-ignore */ options.localize.module)) as { setLocale: (locale: string) => Promise<void> };
    await setLocale(options.localize.locale);
  }
  if (!Object.hasOwn(HTMLTemplateElement.prototype, 'shadowRootMode')) {
    const { hydrateShadowRoots } = await import('@webcomponents/template-shadowroot/template-shadowroot.js');
    hydrateShadowRoots(document.body);
  }
  for (const element of document.querySelectorAll<HTMLElement>(`[${ISLAND_ATTRIBUTE}]`)) {
    schedule(element, () => {
      activate(element, options).catch((error: unknown) => console.error(`Atoll: island <${element.localName}> failed to start`, error));
    });
  }
}

/** When an island starts, by its directive (client-only and ssr:false roots start at once). */
function schedule(element: HTMLElement, start: () => void): void {
  const mode = element.getAttribute(HYDRATE_ATTRIBUTE);
  if (mode === 'visible' && 'IntersectionObserver' in window) {
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) {
          observer.disconnect();
          start();
        }
      },
      { rootMargin: element.getAttribute(HYDRATE_MARGIN_ATTRIBUTE) ?? DEFAULT_HYDRATE_MARGIN },
    );
    observer.observe(element);
  } else if (mode === 'idle') {
    if ('requestIdleCallback' in window) requestIdleCallback(start, { timeout: 2000 });
    else setTimeout(start, 200);
  } else {
    start();
  }
}

/**
 * Sets the props the server used, then loads the element's module and lets it hydrate.
 * Lit keeps properties set before an element upgrades, and `defer-hydration` holds back the
 * first update until the props are in place.
 */
async function activate(element: HTMLElement, { modules, dev }: BootOptions): Promise<void> {
  const tag = element.localName;
  const url = modules[tag];
  if (url === undefined) throw new Error(`no module URL for <${tag}> on this page`);
  const script = document.querySelector(`script[type="application/json"][${PROPS_ATTRIBUTE}="${element.getAttribute(ISLAND_ATTRIBUTE)}"]`);
  const props = script === null ? {} : (JSON.parse(script.textContent ?? '{}') as Record<string, unknown>);
  for (const key of Object.keys(props)) {
    if (!UNSAFE_KEYS.has(key)) (element as unknown as Record<string, unknown>)[key] = props[key];
  }
  await import(/* @vite-ignore */ url);
  await customElements.whenDefined(tag);
  const hydrating = element.hasAttribute(DEFER_HYDRATION);
  element.removeAttribute(DEFER_HYDRATION);
  if (dev && hydrating) {
    const { checkHydration } = await import('./check-hydration.js');
    await checkHydration(element);
  }
}
