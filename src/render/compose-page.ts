import { escapeHtml } from '../html/escape.js';
import type { LayoutPart } from '../templates/compile-layout.js';
import { surround, type CollectedHtml, type RenderedHtml } from './collect-html.js';
import type { PageBuffers } from './page-buffers.js';

export interface PageParts {
  readonly title: string | undefined;
  readonly head: string;
  readonly body: CollectedHtml;
  readonly scripts: string;
  readonly url: string;
  readonly locale: string;
}

/**
 * Fills a compiled layout in one pass. A data hook's title replaces the layout's `<title>`. A
 * body with bytes gives bytes: the layout and the body's text are encoded and its bytes copied,
 * into one Buffer, from `buffers` when the page is one nobody keeps (page-buffers.ts).
 */
export function composePage(parts: readonly LayoutPart[], page: PageParts, buffers?: PageBuffers): RenderedHtml {
  if (typeof page.body !== 'string') {
    const [before, after] = composeAround(parts, page);
    return surround(before, page.body, after, buffers);
  }
  return composeText(parts, page as PageParts & { body: string });
}

function composeText(parts: readonly LayoutPart[], page: PageParts & { readonly body: string }): string {
  let html = '';
  for (const part of parts) html += fill(part, page);
  return html;
}

function fill(part: LayoutPart, page: PageParts & { readonly body: string }): string {
  if (typeof part === 'string') return part;
  switch (part.kind) {
    case 'value':
      return escapeHtml(part.name === 'page.url' ? page.url : page.locale);
    case 'title':
      return page.title === undefined ? composeText(part.fallback, page) : `<title>${escapeHtml(page.title)}</title>`;
    case 'head':
      return part.addTitle && page.title !== undefined ? `<title>${escapeHtml(page.title)}</title>\n${page.head}` : page.head;
    case 'body':
      return page.body;
    case 'scripts':
      return page.scripts;
  }
}

/** The page around its body, for streaming: what comes before the body and what comes after. */
export function composeAround(parts: readonly LayoutPart[], page: Omit<PageParts, 'body'>): [string, string] {
  const at = parts.findIndex((part) => typeof part !== 'string' && part.kind === 'body');
  const filled = { ...page, body: '' };
  return [composeText(parts.slice(0, at), filled), composeText(parts.slice(at + 1), filled)];
}
