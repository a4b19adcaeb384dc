import { html } from 'lit';
import { render, type RenderResult } from '@lit-labs/ssr';
import { collectResult } from '@lit-labs/ssr/lib/render-result.js';
import type { CompiledBody } from '../templates/compile-body.js';
import { ClientOnlyRenderer, RootElementRenderer, UnrenderedRenderer } from './element-renderers.js';

const SSR_RENDERERS = [ClientOnlyRenderer, RootElementRenderer];
const BROWSER_RENDERERS = [UnrenderedRenderer];

/**
 * The page body as a Lit RenderResult (declarative shadow DOM). `propsByRoot[i]` are the data
 * props of root i; `ssr` false leaves every root to the browser. `onElement` hears each custom
 * element as it opens, so a failure can name the tag being rendered.
 */
export function renderBodyResult(
  body: CompiledBody,
  propsByRoot: readonly Readonly<Record<string, unknown>>[],
  ssr: boolean,
  onElement: (tag: string) => void,
): RenderResult {
  return render(html(body.strings, ...propsByRoot), {
    elementRenderers: ssr ? SSR_RENDERERS : BROWSER_RENDERERS,
    customElementRendered: onElement,
  });
}

/**
 * The whole body as one string, collected before anything is sent: a component that throws
 * rejects this promise instead of truncating a 200.
 */
export function renderBody(
  body: CompiledBody,
  propsByRoot: readonly Readonly<Record<string, unknown>>[],
  ssr: boolean,
  onElement: (tag: string) => void,
): Promise<string> {
  return collectResult(renderBodyResult(body, propsByRoot, ssr, onElement));
}
