import type { DefaultTreeAdapterMap } from 'parse5';

export type Parse5Node = DefaultTreeAdapterMap['node'];
export type Parse5Element = DefaultTreeAdapterMap['element'];

/** Depth-first, document order; does not enter `<template>` content. */
export function* walkElements(node: Parse5Node): Generator<Parse5Element> {
  const children = 'childNodes' in node ? node.childNodes : [];
  for (const child of children) {
    if ('tagName' in child) {
      yield child;
      yield* walkElements(child);
    }
  }
}

/**
 * Where a `{{ }}` at `offset` sits, so that values only go where escaping makes them inert:
 * text, or a quoted attribute value. Returns a problem text, or undefined when the place is safe.
 */
export function unsafePlaceFor(root: Parse5Node, source: string, offset: number): string | undefined {
  for (const element of walkElements(root)) {
    const location = element.sourceCodeLocation;
    if (!location) continue;
    const startTag = location.startTag as (typeof location.startTag & { attrs?: Record<string, { startOffset: number; endOffset: number }> }) | undefined;
    if (startTag && offset >= startTag.startOffset && offset < startTag.endOffset) {
      for (const attr of Object.values(startTag.attrs ?? {})) {
        if (offset >= attr.startOffset && offset < attr.endOffset) {
          return /^[^=]*=\s*["']/.test(source.slice(attr.startOffset, attr.endOffset)) ? undefined : 'is in an unquoted attribute value; quote the value';
        }
      }
      return 'is inside a tag but not in an attribute value';
    }
    if ((element.tagName === 'script' || element.tagName === 'style') && startTag && location.endTag && offset >= startTag.endOffset && offset < location.endTag.startOffset) {
      return `is inside <${element.tagName}>, where HTML escaping does not apply; pass the value through a data hook instead`;
    }
  }
  return undefined;
}
