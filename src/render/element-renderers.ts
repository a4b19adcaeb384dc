import { LitElementRenderer } from '@lit-labs/ssr/lib/lit-element-renderer.js';
import { FallbackRenderer, type ElementRenderer } from '@lit-labs/ssr/lib/element-renderer.js';
import type { RenderInfo } from '@lit-labs/ssr/lib/render-value.js';
import { PROPS_BINDING } from '../templates/compile-body.js';
import { HYDRATE_ATTRIBUTE } from '../island-protocol.js';
import type { ThunkedRenderResult } from '@lit-labs/ssr/lib/render-result.js';
import type { FragmentHtml } from '../cache/fragment-cache.js';
import type { RootData } from '../data/run-data-hooks.js';

/**
 * A root's value for the props binding when the fragment cache takes part: its props, and either
 * the HTML its renderer emitted before (emitted again, the element is not rendered) or where to
 * keep what it renders now.
 */
export class CachedRoot {
  constructor(
    readonly props: Readonly<Record<string, unknown>>,
    readonly reuse: FragmentHtml | undefined,
    readonly keep: ((html: FragmentHtml) => void) | undefined,
  ) {}
}

/** What the body template binds per root: its data props, or a CachedRoot. */
export type RootInput = Readonly<Record<string, unknown>> | CachedRoot;

const NO_PROPS: Readonly<Record<string, unknown>> = Object.freeze({});

/** A root's binding value from its data: a plain props object unless the fragment cache takes part. */
export function rootInput(data: RootData): RootInput {
  const props = data.result.props ?? NO_PROPS;
  return data.reuse === undefined && data.keep === undefined ? props : new CachedRoot(props, data.reuse, data.keep);
}

/**
 * Lit's renderer plus Atoll's one addition: the `.__atollProps` binding of a root spreads its
 * data props onto the element as properties, after the template attributes were set and
 * before the element renders.
 */
export class RootElementRenderer extends LitElementRenderer {
  #cached: CachedRoot | undefined;
  /** The attributes as emitted, when they can be kept (plain strings). */
  #attributes: string | undefined;

  override setProperty(name: string, value: unknown): void {
    if (name !== PROPS_BINDING) {
      super.setProperty(name, value);
      return;
    }
    if (value instanceof CachedRoot) {
      this.#cached = value;
      // A reused fragment is not rendered: its element needs no props.
      if (value.reuse !== undefined) return;
    }
    const props = value instanceof CachedRoot ? value.props : (value as Record<string, unknown>);
    for (const [key, prop] of Object.entries(props)) super.setProperty(key, prop);
  }

  override connectedCallback(): void {
    if (this.#cached?.reuse === undefined) super.connectedCallback();
  }

  override renderAttributes(): ThunkedRenderResult {
    const cached = this.#cached;
    if (cached?.reuse !== undefined) return [cached.reuse.attributes];
    const attributes = super.renderAttributes();
    if (cached?.keep === undefined) return attributes;
    // ElementRenderer's attributes are plain strings; anything else is not kept.
    if (!attributes.every((a) => typeof a === 'string')) return attributes;
    this.#attributes = attributes.join('');
    return [this.#attributes];
  }

  override renderShadow(renderInfo: RenderInfo): ThunkedRenderResult | undefined {
    const cached = this.#cached;
    if (cached?.reuse !== undefined) return [cached.reuse.shadow];
    const shadow = super.renderShadow(renderInfo);
    const keep = cached?.keep;
    const attributes = this.#attributes;
    if (shadow === undefined || keep === undefined || attributes === undefined) return shadow;
    // A nested element that falls back (guarded-element-renderer.ts) reports it while the capture
    // runs its renderer: such HTML is not the component's, so it is not kept. The report is
    // passed on, and the page's own handler is back in place before anything else renders.
    const info = renderInfo as { onFallback?: (fallback: unknown) => void };
    const report = info.onFallback;
    let fellBack = false;
    info.onFallback = (fallback) => {
      fellBack = true;
      report?.(fallback);
    };
    try {
      return captureResult(shadow, (text) => {
        if (!fellBack) keep({ attributes, shadow: text });
      });
    } finally {
      info.onFallback = report;
    }
  }
}

/**
 * Flattens a render result into one string, synchronously and in the order a stream would emit
 * it (thunks run here, where the renderer would run them: right after the shadow root opens),
 * and hands it to `capture`. A promise (an async directive) stops the capture: the rest is
 * returned as it is and nothing is kept.
 */
function captureResult(result: ThunkedRenderResult, capture: (text: string) => void): ThunkedRenderResult {
  let text = '';
  const stack: Iterator<unknown>[] = [result[Symbol.iterator]()];
  while (stack.length > 0) {
    const next = stack.at(-1)!.next();
    if (next.done === true) {
      stack.pop();
      continue;
    }
    let value = next.value;
    while (typeof value === 'function') value = (value as () => unknown)();
    if (value === undefined) continue;
    if (typeof value === 'string') text += value;
    else if (typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function') stack.push((value as Iterable<unknown>)[Symbol.iterator]());
    else {
      const rest = stack.reverse().map((iterator) => [...{ [Symbol.iterator]: () => iterator }]);
      return [text, value, ...rest] as ThunkedRenderResult;
    }
  }
  capture(text);
  return [text];
}

/**
 * Lit SSR pushes every custom element onto customElementHostStack before renderShadow() and
 * pops it only after a shadow root it rendered; a renderer that renders none pops itself, or
 * every later element would count as nested (and gain `defer-hydration`).
 */
export function popOwnHost(renderer: ElementRenderer, renderInfo: RenderInfo): void {
  if (renderInfo.customElementHostStack.at(-1) === renderer) renderInfo.customElementHostStack.pop();
}

/** Emits the element with its attributes and light DOM, and no shadow root: the browser renders it. */
export class UnrenderedRenderer extends FallbackRenderer {
  static override matchesClass(_ctor: typeof HTMLElement, _tag: string, _attributes: Map<string, string>): boolean {
    return true;
  }

  override renderShadow(renderInfo: RenderInfo): undefined {
    popOwnHost(this, renderInfo);
    return undefined;
  }
}

/** `hydrate="client-only"` elements, roots or nested in a component's template, are left to the browser (the seam Lit's ElementRenderer docs foresee). */
export class ClientOnlyRenderer extends UnrenderedRenderer {
  static override matchesClass(_ctor: typeof HTMLElement, _tag: string, attributes: Map<string, string>): boolean {
    return attributes.get(HYDRATE_ATTRIBUTE) === 'client-only';
  }
}

/** The config's `clientOnly` tags (`"sl-*"` is a prefix, else the exact tag) as a renderer that leaves them to the browser. */
export function configuredClientOnlyRenderer(patterns: readonly string[]): typeof UnrenderedRenderer {
  const exact = new Set(patterns.filter((p) => !p.endsWith('*')));
  const prefixes = patterns.filter((p) => p.endsWith('*')).map((p) => p.slice(0, -1));
  return class ConfiguredClientOnlyRenderer extends UnrenderedRenderer {
    static override matchesClass(_ctor: typeof HTMLElement, tag: string, _attributes: Map<string, string>): boolean {
      return exact.has(tag) || prefixes.some((prefix) => tag.startsWith(prefix));
    }
  };
}
