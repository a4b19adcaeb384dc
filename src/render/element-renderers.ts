import { LitElementRenderer } from '@lit-labs/ssr/lib/lit-element-renderer.js';
import { FallbackRenderer } from '@lit-labs/ssr/lib/element-renderer.js';
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

/** Emits the element with its attributes and light DOM, and no shadow root: the browser renders it. */
export class UnrenderedRenderer extends FallbackRenderer {
  static override matchesClass(_ctor: typeof HTMLElement, _tag: string, _attributes: Map<string, string>): boolean {
    return true;
  }
}

/** `hydrate="client-only"` roots are left to the browser (the seam Lit's ElementRenderer docs foresee). */
export class ClientOnlyRenderer extends UnrenderedRenderer {
  static override matchesClass(_ctor: typeof HTMLElement, _tag: string, attributes: Map<string, string>): boolean {
    return attributes.get(HYDRATE_ATTRIBUTE) === 'client-only';
  }
}
