import { LitElementRenderer } from '@lit-labs/ssr/lib/lit-element-renderer.js';
import { FallbackRenderer, type ElementRenderer } from '@lit-labs/ssr/lib/element-renderer.js';
import type { RenderInfo } from '@lit-labs/ssr/lib/render-value.js';
import type { ThunkedRenderResult } from '@lit-labs/ssr/lib/render-result.js';
import { escapeHtml } from '../html/escape.js';
import { PROPS_BINDING } from '../templates/compile-body.js';
import { DEFER_HYDRATION, DEFERRED_ATTRIBUTE, HYDRATE_ATTRIBUTE, ISLAND_ATTRIBUTE } from '../island-protocol.js';
import type { FragmentHtml } from '../cache/fragment-cache.js';

/**
 * The value of a root's `.__atollProps` binding when the page needs more than its props: a
 * callback that hears the root open (so a render failure can name the root, not only its tag);
 * `shadow` markup that replaces the component's own render (its fallback, or in development
 * the escaped error), with `deferred` the island index its fill will look for; or, when the
 * fragment cache takes part, the HTML the root rendered before (`reuse`, emitted again without
 * rendering) or where to keep what it renders now (`keep`).
 */
export class RootBinding {
  constructor(
    readonly props: Readonly<Record<string, unknown>>,
    readonly onOpen: (() => void) | undefined,
    readonly shadow: string | undefined,
    readonly deferred: number | undefined,
    readonly reuse: FragmentHtml | undefined = undefined,
    readonly keep: ((html: FragmentHtml) => void) | undefined = undefined,
  ) {}
}

/**
 * Lit's renderer plus Atoll's one addition: the `.__atollProps` binding of a root spreads its
 * data props onto the element as properties, after the template attributes were set and
 * before the element renders. With a RootBinding that carries `shadow`, the component's code
 * does not run: its declarative shadow root holds `shadow` instead (so the browser shows the
 * light-DOM fallback through `<slot name="fallback">`), it keeps `defer-hydration` and loses its
 * island id, so no browser code ever hydrates it against markup it did not render. With `reuse`
 * the component does not run either: the stored attributes and shadow root are emitted.
 */
export class RootElementRenderer extends LitElementRenderer {
  #binding: RootBinding | undefined = undefined;
  /** The attributes as emitted, when they can be kept (plain strings). */
  #attributes: string | undefined;

  override setProperty(name: string, value: unknown): void {
    if (name !== PROPS_BINDING) {
      super.setProperty(name, value);
      return;
    }
    let props = value as Record<string, unknown>;
    if (value instanceof RootBinding) {
      value.onOpen?.();
      this.#binding = value;
      // Not rendered: the element needs no props.
      if (value.shadow !== undefined || value.reuse !== undefined) return;
      props = value.props;
    }
    for (const [key, prop] of Object.entries(props)) super.setProperty(key, prop);
  }

  override connectedCallback(): void {
    if (this.#binding?.shadow === undefined && this.#binding?.reuse === undefined) super.connectedCallback();
  }

  override renderAttributes(): ThunkedRenderResult {
    const binding = this.#binding;
    if (binding?.reuse !== undefined) return [binding.reuse.attributes];
    if (binding?.shadow !== undefined) return fallbackAttributes(this.element.attributes, binding);
    const attributes = super.renderAttributes();
    if (binding?.keep === undefined) return attributes;
    // ElementRenderer's attributes are plain strings; anything else is not kept.
    if (!attributes.every((a) => typeof a === 'string')) return attributes;
    this.#attributes = attributes.join('');
    return [this.#attributes];
  }

  override renderShadow(renderInfo: RenderInfo): ThunkedRenderResult | undefined {
    return this.renderShadowWith(renderInfo, undefined);
  }

  /**
   * renderShadow, with the thunk of LitElementRenderer's shadow (renderValue of the element's
   * render()) replaced by `template` when given: the guard's, which tells the server light DOM
   * the template before nested elements read it. Kept HTML is captured after that replacement,
   * or nested elements that read their light DOM would fall back in the render that is kept.
   */
  renderShadowWith(renderInfo: RenderInfo, template: (() => ThunkedRenderResult) | undefined): ThunkedRenderResult | undefined {
    const binding = this.#binding;
    // The stored bytes, not text: Lit passes renderShadow()'s chunks on untouched, and every
    // collector of Atoll's takes a Buffer as HTML already encoded (collect-html.ts, stream-page.ts).
    if (binding?.reuse !== undefined) return [binding.reuse.shadow as unknown as string];
    if (binding?.shadow !== undefined) return [binding.shadow];
    const own = super.renderShadow(renderInfo);
    const shadow = template === undefined ? own : (own?.map((part) => (typeof part === 'function' ? template() : part)) as ThunkedRenderResult | undefined);
    const keep = binding?.keep;
    const attributes = this.#attributes;
    if (shadow === undefined || keep === undefined || attributes === undefined) return shadow;
    // A nested element that falls back (guarded-element-renderer.ts) reports it while the capture
    // runs its renderer: such HTML is not the component's, so it is not kept. Nor is HTML in which
    // a component that renders every request opened. Reports are passed on, and the page's own
    // handlers are back in place before anything else renders.
    const info = renderInfo as {
      onFallback?: (fallback: unknown) => void;
      customElementRendered?: (tag: string) => void;
      everyRequest?: ReadonlySet<string>;
    };
    const report = info.onFallback;
    const opened = info.customElementRendered;
    let keepable = true;
    info.onFallback = (fallback) => {
      keepable = false;
      report?.(fallback);
    };
    info.customElementRendered = (tag) => {
      if (info.everyRequest?.has(tag) === true) keepable = false;
      opened?.(tag);
    };
    try {
      return captureResult(shadow, (text) => {
        if (keepable) keep({ attributes, shadow: Buffer.from(text, 'utf8') });
      });
    } finally {
      info.onFallback = report;
      info.customElementRendered = opened;
    }
  }
}

/**
 * The attributes of a root that shows its fallback (`binding.shadow`): the template's, without
 * its island id, with `defer-hydration`, and with the island index its fill looks for when it
 * is deferred.
 */
export function fallbackAttributes(attributes: Iterable<{ readonly name: string; readonly value: string }>, binding: RootBinding): string[] {
  const out: string[] = [];
  for (const { name, value } of attributes) {
    if (name === ISLAND_ATTRIBUTE || name === DEFER_HYDRATION || name === DEFERRED_ATTRIBUTE) continue;
    out.push(value === '' ? ` ${name}` : ` ${name}="${escapeHtml(value)}"`);
  }
  out.push(` ${DEFER_HYDRATION}`);
  if (binding.deferred !== undefined) out.push(` ${DEFERRED_ATTRIBUTE}="${binding.deferred}"`);
  return out;
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

  #deferred: number | undefined = undefined;

  /** A deferred root left to the browser still carries its island index, so its fill finds it. */
  override setProperty(name: string, value: unknown): void {
    if (name === PROPS_BINDING && value instanceof RootBinding) this.#deferred = value.deferred;
  }

  override renderAttributes(): ThunkedRenderResult {
    const attributes = super.renderAttributes();
    return this.#deferred === undefined ? attributes : [...attributes, ` ${DEFERRED_ATTRIBUTE}="${this.#deferred}"`];
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
