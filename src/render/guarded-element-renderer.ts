import { ElementRenderer } from '@lit-labs/ssr/lib/element-renderer.js';
import { LitElementRenderer } from '@lit-labs/ssr/lib/lit-element-renderer.js';
import { renderValue, type RenderInfo } from '@lit-labs/ssr/lib/render-value.js';
import type { TemplateResult } from 'lit';
import type { ThunkedRenderResult } from '@lit-labs/ssr/lib/render-result.js';
import { escapeHtml } from '../html/escape.js';
import { PROPS_BINDING } from '../templates/compile-body.js';
import { fallbackAttributes, popOwnHost, RootBinding, RootElementRenderer } from './element-renderers.js';
import type { ServerLightDom } from './server-light-dom.js';

/** A nested element whose server render threw: it is sent unrendered and renders in the browser. */
export interface ElementFallback {
  readonly tag: string;
  /** The outermost element being rendered around it (its root component), or its own tag. */
  readonly root: string;
  readonly stage: 'constructor' | 'attributes' | 'willUpdate/update' | 'render';
  readonly cause: unknown;
}

/** What Atoll adds to Lit's RenderInfo: where fallbacks are reported, and the light DOM it knows. */
export interface AtollRenderInfo extends RenderInfo {
  readonly onFallback: (fallback: ElementFallback) => void;
  readonly lightDom: ServerLightDom;
  readonly everyRequest: ReadonlySet<string>;
}

/**
 * Renders a LitElement on the server as Lit does (RootElementRenderer), but a throw from its
 * constructor, an attribute, willUpdate/update or render() does not fail the page: the element
 * is emitted with its template attributes and light DOM and no shadow root, which is what the
 * browser renders from when its module is loaded. A root component (the one that carries the
 * `.__atollProps` binding) keeps failing the page, naming its own tag; the root is reported as
 * opened (RootBinding.onOpen) even when its constructor threw, so render-isolated.ts can turn a
 * root with a fallback into its fallback. A root bound to its fallback (`shadow`) needs none of
 * its component's code: whatever of it threw, its fallback is emitted.
 */
export class GuardedElementRenderer extends ElementRenderer {
  static override matchesClass(ctor: typeof HTMLElement, _tag: string, _attributes: Map<string, string>): boolean {
    return LitElementRenderer.matchesClass(ctor) === true;
  }

  private readonly inner: RootElementRenderer | undefined;
  private failure: Pick<ElementFallback, 'stage' | 'cause'> | undefined;
  private isRoot = false;
  private binding: RootBinding | undefined;
  /** The attributes from the template, in order, as they are sent when the element falls back. */
  private readonly attributes = new Map<string, string>();

  constructor(tagName: string) {
    super(tagName);
    try {
      this.inner = new RootElementRenderer(tagName);
      this.element = this.inner.element;
    } catch (cause) {
      this.failure = { stage: 'constructor', cause };
    }
  }

  override get shadowRootOptions(): ShadowRootInit {
    return this.inner?.shadowRootOptions ?? super.shadowRootOptions;
  }

  override setAttribute(name: string, value: string): void {
    this.attributes.set(name.toLowerCase(), value);
    this.guard('attributes', () => this.inner!.setAttribute(name, value));
  }

  override setProperty(name: string, value: unknown): void {
    if (name === PROPS_BINDING) {
      this.isRoot = true;
      if (value instanceof RootBinding) {
        this.binding = value;
        // The inner renderer, which reports the root opened, never hears it once something threw.
        if (this.failure !== undefined) value.onOpen?.();
      }
    }
    this.guard('attributes', () => this.inner!.setProperty(name, value));
  }

  override connectedCallback(): void {
    this.guard('willUpdate/update', () => this.inner!.connectedCallback());
    // A root's failure fails the page; thrown here, after Lit reported this element as the one rendering.
    if (this.isRoot && this.failure !== undefined && this.binding?.shadow === undefined) throw this.failure.cause;
  }

  override renderAttributes(): ThunkedRenderResult {
    if (this.failure === undefined) return this.inner!.renderAttributes();
    if (this.binding?.shadow !== undefined)
      return fallbackAttributes(
        [...this.attributes].map(([name, value]) => ({ name, value })),
        this.binding,
      );
    return [...this.attributes].map(([name, value]) => (value === '' ? ` ${name}` : ` ${name}="${escapeHtml(value)}"`));
  }

  override renderShadow(renderInfo: RenderInfo): ThunkedRenderResult | undefined {
    if (this.failure === undefined) {
      try {
        // The element's own render() and its template run now, inside the guard; nested
        // elements stay thunks and are guarded by their own renderer. The one thunk of
        // LitElementRenderer's shadow is renderValue(element.render()), called here so that
        // the template is known to the light DOM its nested elements read.
        return this.inner!.renderShadowWith(renderInfo, () => this.renderTemplate(renderInfo));
      } catch (cause) {
        if (this.isRoot) throw cause;
        this.failure = { stage: 'render', cause };
      }
    }
    if (this.binding?.shadow !== undefined) return [this.binding.shadow];
    const outer = renderInfo.customElementInstanceStack[0];
    (renderInfo as Partial<AtollRenderInfo>).onFallback?.({ tag: this.tagName, root: outer !== undefined && outer !== this ? outer.tagName : this.tagName, ...this.failure });
    this.element = undefined;
    popOwnHost(this, renderInfo);
    return undefined;
  }

  private renderTemplate(renderInfo: RenderInfo): ThunkedRenderResult {
    const template = (this.element as unknown as { render(): unknown }).render();
    (renderInfo as Partial<AtollRenderInfo>).lightDom?.shadowRendered(this, template as TemplateResult);
    return renderValue(template, renderInfo);
  }

  private guard(stage: ElementFallback['stage'], step: () => void): void {
    if (this.failure !== undefined) return;
    try {
      step();
    } catch (cause) {
      this.failure = { stage, cause };
    }
  }
}
