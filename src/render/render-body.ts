import { html } from 'lit';
import { renderThunked } from '@lit-labs/ssr';
import type { ThunkedRenderResult } from '@lit-labs/ssr/lib/render-result.js';
import type { ElementRenderer, ElementRendererConstructor } from '@lit-labs/ssr/lib/element-renderer.js';
import type { CompiledBody } from '../templates/compile-body.js';
import { ClientOnlyRenderer, configuredClientOnlyRenderer, UnrenderedRenderer } from './element-renderers.js';
import { GuardedElementRenderer, type AtollRenderInfo, type ElementFallback } from './guarded-element-renderer.js';
import { installServerLightDom, ServerLightDom } from './server-light-dom.js';
import { collectHtml, type CollectedHtml } from './collect-html.js';
import { TemplateLightDom } from './template-light-dom.js';

export type { ElementFallback } from './guarded-element-renderer.js';

/** The element renderers of an app, fixed at startup: `ssr` for server-rendered pages, `browser` for `bootstrap.ssr: false`. */
export interface BodyRenderers {
  readonly ssr: readonly ElementRendererConstructor[];
  readonly browser: readonly ElementRendererConstructor[];
  /** The app's parsed templates for the light DOM elements read while rendering (server-light-dom.ts). */
  readonly lightDom: TemplateLightDom;
  /** Tags whose modules export `renderEveryRequest`: HTML in which one of them rendered is never kept. */
  readonly everyRequest: ReadonlySet<string>;
}

/** `clientOnly` is the config's list of tags that render only in the browser. */
export function bodyRenderers(clientOnly: readonly string[], everyRequest: ReadonlySet<string>): BodyRenderers {
  const configured = clientOnly.length === 0 ? [] : [configuredClientOnlyRenderer(clientOnly)];
  installServerLightDom();
  return Object.freeze({ ssr: [ClientOnlyRenderer, ...configured, GuardedElementRenderer], browser: [UnrenderedRenderer], lightDom: new TemplateLightDom(), everyRequest });
}

export interface BodyRenderHooks {
  /** Hears each custom element as it opens, so a failure can name the tag being rendered. */
  readonly onElement: (tag: string) => void;
  /** A nested element's server render threw; it is sent unrendered. */
  readonly onFallback: (fallback: ElementFallback) => void;
}

/**
 * The page body as a Lit ThunkedRenderResult (declarative shadow DOM): thunks, nested arrays,
 * promises and strings, plus the Buffers of reused fragments, which Lit's RenderResult iterator
 * would take for promises; Atoll's collectors walk it (collect-html.ts, stream-page.ts). `propsByRoot[i]` are the data
 * props of root i (or its RootBinding, see element-renderers.ts); `ssr` false leaves every root
 * to the browser.
 */
export function renderBodyResult(body: CompiledBody, propsByRoot: readonly unknown[], ssr: boolean, renderers: BodyRenderers, hooks: BodyRenderHooks): ThunkedRenderResult {
  const template = html(body.strings, ...propsByRoot);
  const lightDom = new ServerLightDom(renderers.lightDom, template);
  // Lit copies the render info into its own object; the stacks are these arrays, which the light DOM reads.
  const instances: ElementRenderer[] = [];
  const hosts: ElementRenderer[] = [];
  const renderInfo: Partial<AtollRenderInfo> = {
    elementRenderers: (ssr ? renderers.ssr : renderers.browser) as ElementRendererConstructor[],
    customElementInstanceStack: instances,
    customElementHostStack: hosts,
    customElementRendered: (tag) => {
      hooks.onElement(tag);
      lightDom.elementOpened(instances, hosts);
    },
    onFallback: hooks.onFallback,
    lightDom,
    everyRequest: renderers.everyRequest,
  };
  return renderThunked(template, renderInfo);
}

/**
 * The whole body (a string, or its parts when stored fragments' bytes took part), collected before anything
 * is sent: a component that throws rejects this promise instead of truncating a 200.
 */
export function renderBody(body: CompiledBody, propsByRoot: readonly unknown[], ssr: boolean, renderers: BodyRenderers, hooks: BodyRenderHooks): Promise<CollectedHtml> {
  return collectHtml(renderBodyResult(body, propsByRoot, ssr, renderers, hooks));
}
