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
/** Development only: set on an island once it has started and its mismatch check has run; `check --browser` waits for it. */
export const HYDRATION_CHECKED_ATTRIBUTE = 'data-atoll-checked';
/** URL path (after basePath) of island code, the runtime and the health route. */
export const CLIENT_PREFIX = '/_atoll/';

/**
 * The `hydrate` directives. `media(<query>)` is matched by {@link parseHydrate}; `client-only`
 * renders in the browser only, the others hydrate server-rendered HTML when due.
 */
export const HYDRATE_MODES = ['load', 'visible', 'idle', 'interaction', 'client-only'] as const;
export type HydrateMode = (typeof HYDRATE_MODES)[number] | `media(${string})`;

/** Events inside a `hydrate="interaction"` island that start its hydration. */
export const WAKE_EVENTS = ['pointerdown', 'touchstart', 'focusin', 'keydown'] as const;
/** Events inside an `interaction` island that are held from page load until it has hydrated, then replayed. */
export const REPLAYED_EVENTS = ['click', 'keydown', 'input'] as const;
/** Of those, the ones cancelled when held (their default action runs with the replayed copy). */
export const CANCELLED_EVENTS: readonly string[] = ['click'];

/**
 * A `hydrate` attribute value as a directive (`""` is `load`), or undefined when it is not one.
 * `media(q)` needs a non-empty query with balanced parentheses; matchMedia judges the rest in
 * the browser (a query it cannot parse is `not all` and never matches).
 */
export function parseHydrate(value: string): HydrateMode | undefined {
  if (value === '') return 'load';
  if ((HYDRATE_MODES as readonly string[]).includes(value)) return value as HydrateMode;
  const query = mediaQuery(value);
  if (query === undefined || query.trim() === '') return undefined;
  let depth = 0;
  for (const char of query) {
    depth += char === '(' ? 1 : char === ')' ? -1 : 0;
    if (depth < 0) return undefined;
  }
  return depth === 0 ? (value as HydrateMode) : undefined;
}

/** The query of a `media(q)` directive, or undefined for any other value. */
export function mediaQuery(mode: string): string | undefined {
  return /^media\((.*)\)$/s.exec(mode)?.[1];
}
/** The template attribute that makes a root deferred: the page does not wait for its data. */
export const DEFER_ATTRIBUTE = 'defer';
/** The template attribute that bounds a root's getServerData: `timeout="800ms"`. */
export const ROOT_TIMEOUT_ATTRIBUTE = 'timeout';
/** Light-DOM children with `slot="fallback"` are what a root shows while deferred or after it failed. */
export const FALLBACK_SLOT = 'fallback';
/** On a root showing its fallback in the body: its island index, which pairs it with its fill. */
export const DEFERRED_ATTRIBUTE = 'data-atoll-deferred';
/** On the `<template>` that carries a deferred root's rendered element: its island index. */
export const FILL_ATTRIBUTE = 'data-atoll-fill';
/** Dispatched (bubbling) on a deferred root once its fill took the place of its fallback. */
export const FILL_EVENT = 'atoll-fill';
