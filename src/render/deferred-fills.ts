import { Readable } from 'node:stream';
import type { AtollError } from '../errors.js';
import { atollError } from '../errors.js';
import type { RootData } from '../data/run-data-hooks.js';
import type { RootElement } from '../templates/compile-body.js';
import { islandPropsScripts } from '../serialize/island-props-scripts.js';
import { FILL_ATTRIBUTE } from '../island-protocol.js';
import { FILL_SCRIPT, FILL_TRIGGER } from '../client/fill-script.js';
import { renderIsolated } from './render-isolated.js';
import type { BodyRenderers, ElementFallback } from './render-body.js';
import { bindToLocale } from './localize.js';
import { htmlText } from './collect-html.js';

/** Keys of a data result that decide the page's status, headers or head: a deferred root comes too late for them. */
const PAGE_ONLY_KEYS = ['redirect', 'notFound', 'status', 'headers', 'markup'] as const;

export interface DeferredPage {
  readonly routeId: string;
  /** The document up to the end of the main body: head, body with each deferred root's fallback in place, layout after it up to `</body>`. */
  readonly first: string;
  /** What follows the fills: `</body>` and the rest of the layout. */
  readonly last: string;
  /** The deferred roots' data by island index; each promise resolves, never rejects (see runDataHooks). */
  readonly deferred: ReadonlyMap<number, Promise<RootData>>;
  readonly ssr: boolean;
  readonly dev: boolean;
  readonly renderers: BodyRenderers;
  /** A nested element's server render threw; it is sent unrendered. */
  readonly onElementFallback: (fallback: ElementFallback) => void;
  /** A deferred root that failed (data or render) keeps its fallback: report it (the caller logs code, route, tag). */
  readonly onFallback: (root: RootElement, error: unknown) => void;
  /** A deferred root returned keys only the page could have used (logged; the rest of its result is used). */
  readonly onIgnored: (error: AtollError) => void;
  /** Called once however the stream ends (complete, client gone, failure): the page deadline may stop. */
  readonly onEnd: () => void;
}

export interface DeferredStream {
  readonly body: Readable;
  /** Once the last fill was written: the complete document and every deferred root's data; undefined if the stream ended otherwise. Never rejects. */
  readonly completed: Promise<{ readonly html: string; readonly arrived: readonly RootData[] } | undefined>;
}

/**
 * The response of a page with deferred roots: first the whole document up to `</body>` with each
 * deferred root's fallback in place and the fill script, then one `<template data-atoll-fill>` per
 * deferred root in the order their data settles (with its island props and the fill trigger),
 * then the end of the document. Every deferred promise settles by the page deadline (a root
 * still pending then fails with ATOLL_DEFERRED_TIMEOUT and keeps its fallback), so the document
 * always ends with its closing tags: never a cut-off document.
 */
export function streamDeferred(page: DeferredPage): DeferredStream {
  // The socket pulls this stream outside the request's async context: each fill renders in the
  // request's locale again (render/localize.ts). Called where that scope is current.
  const step = bindToLocale();
  let complete!: (done: { html: string; arrived: readonly RootData[] } | undefined) => void;
  const completed = new Promise<{ html: string; arrived: readonly RootData[] } | undefined>((resolve) => {
    complete = resolve;
  });
  async function* generate(): AsyncGenerator<string> {
    let html = page.first + FILL_SCRIPT;
    const arrived: RootData[] = [];
    try {
      yield html;
      const waiting = new Map([...page.deferred].map(([index, promise]) => [index, promise.then((data) => ({ index, data }))]));
      while (waiting.size > 0) {
        const { index, data } = await Promise.race(waiting.values());
        waiting.delete(index);
        arrived.push(data);
        const fill = await step(() => renderFill(page, data));
        if (fill === '') continue;
        html += fill;
        yield fill;
      }
      html += page.last;
      yield page.last;
      complete({ html, arrived });
    } finally {
      complete(undefined);
      page.onEnd();
    }
  }
  return { body: Readable.from(generate(), { objectMode: false }), completed };
}

/** One deferred root's fill, or '' when it keeps its fallback (production; development shows the error). */
async function renderFill(page: DeferredPage, data: RootData): Promise<string> {
  const { root } = data;
  const ignored = PAGE_ONLY_KEYS.filter((key) => data.result[key] !== undefined);
  if (ignored.length > 0) page.onIgnored(atollError('ATOLL_DEFERRED_RESULT_IGNORED', [page.routeId, root.tag, ignored], { routeId: page.routeId, tag: root.tag }));
  if (data.failure !== undefined && !page.dev) return '';
  const fillBody = { strings: root.fill!, roots: [root] };
  let failed = data.failure !== undefined;
  let element = '';
  let props = '';
  try {
    const rendered = await renderIsolated(page.routeId, fillBody, [data], new Set(), page.ssr, page.dev, page.renderers, {
      onFallback: (_root, error) => {
        failed = true;
        page.onFallback(root, error);
      },
      onElementFallback: page.onElementFallback,
    });
    element = htmlText(rendered.html);
    if (!failed) props = islandPropsScripts(page.routeId, [data]);
  } catch (error) {
    page.onFallback(root, error);
    return '';
  }
  if (failed && !page.dev) return '';
  return `<template ${FILL_ATTRIBUTE}="${root.index}">${element}</template>\n${props}${FILL_TRIGGER}`;
}

/** The layout after the body, split before its last `</body>` (fills go inside the body); all of it first when there is none. */
export function splitAtBodyEnd(after: string): [string, string] {
  const at = after.toLowerCase().lastIndexOf('</body');
  return at === -1 ? [after, ''] : [after.slice(0, at), after.slice(at)];
}
