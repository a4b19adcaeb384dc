import { parse } from 'parse5';
import { findPlaceholders, lookupValue, REQUEST_VALUES, type RequestValue } from './placeholders.js';
import { unsafePlaceFor, walkElements } from './walk-html.js';
import { escapeHtml } from '../html/escape.js';

/**
 * The document around the body, split once at startup. Strings are final HTML (route values
 * already escaped in); the other parts are filled per request. 'body' is the rendered body
 * content (layout body with the content template in it), 'scripts' the island scripts.
 */
export type LayoutPart =
  | string
  | { readonly kind: 'value'; readonly name: RequestValue }
  | { readonly kind: 'title'; readonly fallback: readonly LayoutPart[] }
  /** `addTitle`: the layout has no `<title>`, so a hook's title goes here. */
  | { readonly kind: 'head'; readonly addTitle: boolean }
  | { readonly kind: 'body' | 'scripts' };

export interface CompiledLayout {
  readonly parts: readonly LayoutPart[];
  /** The layout's body content with route values filled in; `{{{ body }}}` marks the content. */
  readonly bodySource: string;
}

export const BODY_SLOT = '{{{ body }}}';

export const DEFAULT_LAYOUT = `<!DOCTYPE html>
<html lang="{{ page.locale }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ page.title }}</title>
</head>
<body>
{{{ body }}}
</body>
</html>
`;

interface Cut {
  readonly start: number;
  readonly end: number;
  readonly part: LayoutPart;
}

/**
 * `scope` holds the route's properties and page. Problems are pushed to `problems` with `where`
 * in front; the result is only meaningful when none were added.
 */
export function compileLayout(source: string, scope: Readonly<Record<string, unknown>>, where: string, problems: string[]): CompiledLayout {
  const document = parse(source, { sourceCodeLocationInfo: true });
  let head, body, title;
  for (const element of walkElements(document)) {
    if (element.tagName === 'head') head ??= element;
    else if (element.tagName === 'body') body ??= element;
    else if (element.tagName === 'title') title ??= element;
  }
  const headEnd = head?.sourceCodeLocation?.endTag?.startOffset;
  const bodyStart = body?.sourceCodeLocation?.startTag?.endOffset;
  const bodyEnd = body?.sourceCodeLocation?.endTag?.startOffset;
  if (headEnd === undefined) problems.push(`${where}: the layout needs an explicit <head>…</head>; head markup goes before </head>`);
  if (bodyStart === undefined || bodyEnd === undefined) problems.push(`${where}: the layout needs an explicit <body>…</body>; island scripts go before </body>`);
  if (headEnd === undefined || bodyStart === undefined || bodyEnd === undefined) return { parts: [], bodySource: '' };

  const cuts: Cut[] = [
    { start: headEnd, end: headEnd, part: { kind: 'head', addTitle: title === undefined } },
    { start: bodyStart, end: bodyEnd, part: { kind: 'body' } },
    { start: bodyEnd, end: bodyEnd, part: { kind: 'scripts' } },
  ];
  const bodyCuts: Cut[] = [];
  let bodySlots = 0;
  for (const placeholder of findPlaceholders(source)) {
    const inBody = placeholder.start >= bodyStart && placeholder.end <= bodyEnd;
    if (placeholder.raw) {
      if (placeholder.name !== 'body') problems.push(`${where}: {{{ ${placeholder.name} }}} is not allowed; only {{{ body }}} inserts unescaped HTML`);
      else if (!inBody) problems.push(`${where}: {{{ body }}} must be inside <body>`);
      else bodySlots++;
      bodyCuts.push({ start: placeholder.start, end: placeholder.end, part: BODY_SLOT });
      continue;
    }
    const unsafe = unsafePlaceFor(document, source, placeholder.start);
    if (unsafe !== undefined) {
      problems.push(`${where}: {{ ${placeholder.name} }} ${unsafe}`);
    } else if ((REQUEST_VALUES as readonly string[]).includes(placeholder.name)) {
      if (inBody) problems.push(`${where}: {{ ${placeholder.name} }} changes per request and can only be used outside <body>; components get it from getServerData's context`);
      else cuts.push({ start: placeholder.start, end: placeholder.end, part: { kind: 'value', name: placeholder.name as RequestValue } });
    } else {
      const looked = lookupValue(placeholder.name, scope);
      if ('error' in looked) problems.push(`${where}: ${looked.error}`);
      else (inBody ? bodyCuts : cuts).push({ start: placeholder.start, end: placeholder.end, part: escapeHtml(looked.text) });
    }
  }
  if (bodySlots !== 1) problems.push(`${where}: the layout must contain {{{ body }}} exactly once inside <body> (found ${bodySlots})`);

  const bodySource = assemble(source, bodyCuts, bodyStart, bodyEnd).join('');
  const titleLocation = title?.sourceCodeLocation;
  if (titleLocation?.startTag && titleLocation.endTag) {
    const start = titleLocation.startTag.startOffset;
    const end = titleLocation.endTag.endOffset;
    const within = (c: Cut): boolean => c.start >= start && c.end <= end;
    const titleCut: Cut = { start, end, part: { kind: 'title', fallback: assemble(source, cuts.filter(within), start, end) } };
    return { parts: assemble(source, [...cuts.filter((c) => !within(c)), titleCut], 0, source.length), bodySource };
  }
  return { parts: assemble(source, cuts, 0, source.length), bodySource };
}

/** Text of [from, to) with each cut replaced by its part; adjacent strings merged. */
function assemble(source: string, cuts: readonly Cut[], from: number, to: number): LayoutPart[] {
  const parts: LayoutPart[] = [];
  let position = from;
  const push = (part: LayoutPart): void => {
    const last = parts.at(-1);
    if (typeof part === 'string' && typeof last === 'string') parts[parts.length - 1] = last + part;
    else if (part !== '') parts.push(part);
  };
  for (const cut of [...cuts].sort((a, b) => a.start - b.start)) {
    push(source.slice(position, cut.start));
    push(cut.part);
    position = cut.end;
  }
  push(source.slice(position, to));
  return parts;
}
