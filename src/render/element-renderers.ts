import { LitElementRenderer } from '@lit-labs/ssr/lib/lit-element-renderer.js';
import { FallbackRenderer, type ElementRenderer } from '@lit-labs/ssr/lib/element-renderer.js';
import type { RenderInfo } from '@lit-labs/ssr/lib/render-value.js';
import { PROPS_BINDING } from '../templates/compile-body.js';
import { HYDRATE_ATTRIBUTE } from '../island-protocol.js';

/**
 * Lit's renderer plus Atoll's one addition: the `.__atollProps` binding of a root spreads its
 * data props onto the element as properties, after the template attributes were set and
 * before the element renders.
 */
export class RootElementRenderer extends LitElementRenderer {
  override setProperty(name: string, value: unknown): void {
    if (name !== PROPS_BINDING) {
      super.setProperty(name, value);
      return;
    }
    for (const [key, prop] of Object.entries(value as Record<string, unknown>)) super.setProperty(key, prop);
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
