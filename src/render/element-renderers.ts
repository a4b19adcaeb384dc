import { LitElementRenderer } from '@lit-labs/ssr/lib/lit-element-renderer.js';
import { FallbackRenderer, type ElementRenderer } from '@lit-labs/ssr/lib/element-renderer.js';
import type { RenderInfo } from '@lit-labs/ssr/lib/render-value.js';
import type { ThunkedRenderResult } from '@lit-labs/ssr/lib/render-result.js';
import { escapeHtml } from '../html/escape.js';
import { PROPS_BINDING } from '../templates/compile-body.js';
import { DEFER_HYDRATION, DEFERRED_ATTRIBUTE, HYDRATE_ATTRIBUTE, ISLAND_ATTRIBUTE } from '../island-protocol.js';

/**
 * The value of a root's `.__atollProps` binding when the page needs more than its props: a
 * callback that hears the root open (so a render failure can name the root, not only its tag),
 * or `shadow` markup that replaces the component's own render (its fallback, or in development
 * the escaped error), with `deferred` the island index its fill will look for.
 */
export class RootBinding {
  constructor(
    readonly props: Readonly<Record<string, unknown>>,
    readonly onOpen: (() => void) | undefined,
    readonly shadow: string | undefined,
    readonly deferred: number | undefined,
  ) {}
}

/**
 * Lit's renderer plus Atoll's one addition: the `.__atollProps` binding of a root spreads its
 * data props onto the element as properties, after the template attributes were set and
 * before the element renders. With a RootBinding that carries `shadow`, the component's code
 * does not run: its declarative shadow root holds `shadow` instead (so the browser shows the
 * light-DOM fallback through `<slot name="fallback">`), it keeps `defer-hydration` and loses its
 * island id, so no browser code ever hydrates it against markup it did not render.
 */
export class RootElementRenderer extends LitElementRenderer {
  #binding: RootBinding | undefined = undefined;

  override setProperty(name: string, value: unknown): void {
    if (name !== PROPS_BINDING) {
      super.setProperty(name, value);
      return;
    }
    let props = value as Record<string, unknown>;
    if (value instanceof RootBinding) {
      value.onOpen?.();
      if (value.shadow !== undefined) {
        this.#binding = value;
        return;
      }
      props = value.props;
    }
    for (const [key, prop] of Object.entries(props)) super.setProperty(key, prop);
  }

  override connectedCallback(): void {
    if (this.#binding === undefined) super.connectedCallback();
  }

  override renderAttributes(): ReturnType<LitElementRenderer['renderAttributes']> {
    const binding = this.#binding;
    if (binding === undefined) return super.renderAttributes();
    const out: string[] = [];
    for (const { name, value } of this.element.attributes) {
      if (name === ISLAND_ATTRIBUTE || name === DEFER_HYDRATION || name === DEFERRED_ATTRIBUTE) continue;
      out.push(value === '' ? ` ${name}` : ` ${name}="${escapeHtml(value)}"`);
    }
    out.push(` ${DEFER_HYDRATION}`);
    if (binding.deferred !== undefined) out.push(` ${DEFERRED_ATTRIBUTE}="${binding.deferred}"`);
    return out;
  }

  override renderShadow(renderInfo: Parameters<LitElementRenderer['renderShadow']>[0]): ReturnType<LitElementRenderer['renderShadow']> {
    return this.#binding === undefined ? super.renderShadow(renderInfo) : [this.#binding.shadow!];
  }
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
