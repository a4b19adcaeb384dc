import { escapeHtml } from '../html/escape.js';
import type { LayoutPart } from '../templates/compile-layout.js';

export interface PageParts {
  readonly title: string | undefined;
  readonly head: string;
  readonly body: string;
  readonly scripts: string;
  readonly url: string;
  readonly locale: string;
}

/** Fills a compiled layout in one pass. A data hook's title replaces the layout's `<title>`. */
export function composePage(parts: readonly LayoutPart[], page: PageParts): string {
  let html = '';
  for (const part of parts) html += fill(part, page);
  return html;
}

function fill(part: LayoutPart, page: PageParts): string {
  if (typeof part === 'string') return part;
  switch (part.kind) {
    case 'value':
      return escapeHtml(part.name === 'page.url' ? page.url : page.locale);
    case 'title':
      return page.title === undefined ? composePage(part.fallback, page) : `<title>${escapeHtml(page.title)}</title>`;
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
  return [composePage(parts.slice(0, at), filled), composePage(parts.slice(at + 1), filled)];
}
