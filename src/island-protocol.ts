/**
 * The names the server writes into a page and the browser runtime reads back: one module that
 * both import (src/client/runtime.ts is bundled for the browser, so this holds constants only).
 * test/island-protocol.test.ts checks that no other module spells them out.
 */

/** The template attribute that makes a root an island: `hydrate`, `hydrate="visible"`, … */
export const HYDRATE_ATTRIBUTE = 'hydrate';
/** `hydrate="visible"`: how far outside the viewport an island starts (IntersectionObserver rootMargin). */
export const HYDRATE_MARGIN_ATTRIBUTE = 'hydrate-margin';
export const DEFAULT_HYDRATE_MARGIN = '200px';
/** On each island host: its index on the page, which pairs it with its props script. */
export const ISLAND_ATTRIBUTE = 'data-atoll-island';
/** On `<script type="application/json">`: the island index whose props it holds. */
export const PROPS_ATTRIBUTE = 'data-atoll-props';
/** Lit's own attribute: holds back an element's first update until the runtime removes it. */
export const DEFER_HYDRATION = 'defer-hydration';
/** URL path (after basePath) of island code, the runtime and the health route. */
export const CLIENT_PREFIX = '/_atoll/';
