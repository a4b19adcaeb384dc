import { atollError, describeThrown, type AtollError } from '../errors.js';
import type { RootData } from '../data/run-data-hooks.js';
import type { CompiledBody, RootElement } from '../templates/compile-body.js';
import { renderBody, type BodyRenderers, type ElementFallback } from './render-body.js';
import { rootBindings } from './root-bindings.js';
import type { CollectedHtml } from './collect-html.js';

export interface IsolationHooks {
  /** A root with a fallback (or a deferred root) failed: it shows its fallback (the caller logs it). */
  readonly onFallback: (root: RootElement, error: AtollError) => void;
  /** A nested element's server render threw; it is sent unrendered (render/guarded-element-renderer.ts). */
  readonly onElementFallback: (fallback: ElementFallback) => void;
}

export interface IsolatedRender {
  readonly html: CollectedHtml;
  /** Some root shows its fallback (its data or its render failed): the page is not cacheable. */
  readonly fellBack: boolean;
}

/**
 * The body (see renderBody), with failure isolation: a root that failed in its data shows its
 * fallback, and a root with a fallback whose render throws is rendered again as its fallback
 * (reported through onFallback). A render failure of a root without a fallback rejects with
 * ATOLL_RENDER_FAILED naming the tag. Each retry turns one more root into its fallback, so there
 * are at most as many renders as roots with a fallback, plus one.
 */
export async function renderIsolated(
  routeId: string,
  body: CompiledBody,
  data: readonly RootData[],
  deferred: ReadonlySet<number>,
  ssr: boolean,
  dev: boolean,
  renderers: BodyRenderers,
  hooks: IsolationHooks,
): Promise<IsolatedRender> {
  const failures = new Map<number, unknown>();
  const tracks = body.roots.some((root) => root.hasFallback || root.defer);
  for (;;) {
    let opened: RootElement | undefined;
    let renderingTag = '';
    const bindings = rootBindings(data, failures, deferred, dev, tracks ? (root) => (opened = root) : undefined);
    try {
      const html = await renderBody(body, bindings, ssr, renderers, {
        onElement: (tag) => {
          renderingTag = tag;
        },
        onFallback: hooks.onElementFallback,
      });
      return { html, fellBack: failures.size > 0 || data.some((d) => d.failure !== undefined) };
    } catch (error) {
      const failed = renderFailed(routeId, renderingTag || (opened?.tag ?? ''), error);
      if (opened === undefined || !(opened.hasFallback || opened.defer) || failures.has(opened.index) || data[opened.index]?.failure !== undefined) throw failed;
      failures.set(opened.index, failed);
      hooks.onFallback(opened, failed);
    }
  }
}

export function renderFailed(routeId: string, tag: string, error: unknown): AtollError {
  return atollError('ATOLL_RENDER_FAILED', [routeId, tag, describeThrown(error)], { cause: error, routeId, tag });
}
