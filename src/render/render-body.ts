import { html } from 'lit';
import { render, type RenderResult } from '@lit-labs/ssr';
import { collectResult } from '@lit-labs/ssr/lib/render-result.js';
import type { ElementRendererConstructor } from '@lit-labs/ssr/lib/element-renderer.js';
import type { CompiledBody } from '../templates/compile-body.js';
import { ClientOnlyRenderer, configuredClientOnlyRenderer, UnrenderedRenderer, type RootInput } from './element-renderers.js';
import { GuardedElementRenderer, type AtollRenderInfo, type ElementFallback } from './guarded-element-renderer.js';

export type { ElementFallback } from './guarded-element-renderer.js';

/** The element renderers of an app, fixed at startup: `ssr` for server-rendered pages, `browser` for `bootstrap.ssr: false`. */
export interface BodyRenderers {
  readonly ssr: readonly ElementRendererConstructor[];
  readonly browser: readonly ElementRendererConstructor[];
}

/** `clientOnly` is the config's list of tags that render only in the browser. */
export function bodyRenderers(clientOnly: readonly string[]): BodyRenderers {
  const configured = clientOnly.length === 0 ? [] : [configuredClientOnlyRenderer(clientOnly)];
  return Object.freeze({ ssr: [ClientOnlyRenderer, ...configured, GuardedElementRenderer], browser: [UnrenderedRenderer] });
}

export interface BodyRenderHooks {
  /** Hears each custom element as it opens, so a failure can name the tag being rendered. */
  readonly onElement: (tag: string) => void;
  /** A nested element's server render threw; it is sent unrendered. */
  readonly onFallback: (fallback: ElementFallback) => void;
}

/**
 * The page body as a Lit RenderResult (declarative shadow DOM). `propsByRoot[i]` are the data
 * props of root i (or a CachedRoot, when the fragment cache takes part); `ssr` false leaves every root to the browser.
 */
export function renderBodyResult(body: CompiledBody, propsByRoot: readonly RootInput[], ssr: boolean, renderers: BodyRenderers, hooks: BodyRenderHooks): RenderResult {
  const renderInfo: Partial<AtollRenderInfo> = {
    elementRenderers: (ssr ? renderers.ssr : renderers.browser) as ElementRendererConstructor[],
    customElementRendered: hooks.onElement,
    onFallback: hooks.onFallback,
  };
  return render(html(body.strings, ...propsByRoot), renderInfo);
}

/**
 * The whole body as one string, collected before anything is sent: a component that throws
 * rejects this promise instead of truncating a 200.
 */
export function renderBody(body: CompiledBody, propsByRoot: readonly RootInput[], ssr: boolean, renderers: BodyRenderers, hooks: BodyRenderHooks): Promise<string> {
  return collectResult(renderBodyResult(body, propsByRoot, ssr, renderers, hooks));
}
