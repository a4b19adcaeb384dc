import { escapeCssForStyle, escapeHtml, escapeJsonForScript } from '../html/escape.js';
import type { HeadMarkup, LinkTag, MetaTag } from '../data/types.js';
import { DATA_RESULT_SCHEMA } from '../data/data-result-schema.js';

export interface MergedHead {
  /** The first root's title in document order; replaces the layout's `<title>`. */
  readonly title: string | undefined;
  /** Tags for before `</head>`, one per line. */
  readonly html: string;
}

const markupSchema = DATA_RESULT_SCHEMA.properties.markup.properties;
/** [result key, HTML attribute]: the schema's keys, camelCase to kebab-case (httpEquiv → http-equiv). */
const META_ATTRIBUTES = attributeList<MetaTag>(markupSchema.meta.items.properties);
const LINK_ATTRIBUTES = attributeList<LinkTag>(markupSchema.links.items.properties);

function attributeList<T>(properties: object): readonly (readonly [keyof T, string])[] {
  return Object.keys(properties).map((key) => [key as keyof T, key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)] as const);
}

/**
 * Merges the head markup of all roots (in document order) in one pass. Every value is escaped
 * for its context: attribute values, JSON in script, CSS in style. Attribute names come from the
 * result schema's fixed lists above, never from a data hook. Meta tags with the same name, http-equiv or
 * property are kept once (the first); an empty meta is skipped.
 */
export function renderHead(markups: readonly (HeadMarkup | undefined)[]): MergedHead {
  let title: string | undefined;
  let meta = '';
  let scripts = '';
  let links = '';
  let styles = '';
  const metaKeys = new Set<string>();
  for (const markup of markups) {
    if (markup === undefined) continue;
    title ??= markup.title;
    for (const tag of markup.meta ?? []) {
      const key =
        tag.name !== undefined
          ? `name:${tag.name}`
          : tag.httpEquiv !== undefined
            ? `http-equiv:${tag.httpEquiv.toLowerCase()}`
            : tag.property !== undefined
              ? `property:${tag.property}`
              : undefined;
      if (key !== undefined) {
        if (metaKeys.has(key)) continue;
        metaKeys.add(key);
      }
      const attributes = renderAttributes(tag, META_ATTRIBUTES);
      if (attributes !== '') meta += `<meta${attributes}>\n`;
    }
    for (const script of markup.scripts ?? []) {
      const json = typeof script.body === 'string' ? JSON.stringify(JSON.parse(script.body)) : JSON.stringify(script.body);
      scripts += `<script type="application/ld+json">${escapeJsonForScript(json)}</script>\n`;
    }
    for (const link of markup.links ?? []) {
      links += `<link${renderAttributes(link, LINK_ATTRIBUTES)}>\n`;
    }
    for (const style of markup.styles ?? []) {
      const id = style.id === undefined ? '' : ` id="${escapeHtml(style.id)}"`;
      styles += `<style${id}>${escapeCssForStyle(style.body)}</style>\n`;
    }
  }
  return { title, html: meta + scripts + links + styles };
}

function renderAttributes<T extends object>(tag: T, names: readonly (readonly [keyof T, string])[]): string {
  let out = '';
  for (const [key, attribute] of names) {
    const value = tag[key];
    if (typeof value === 'string') out += ` ${attribute}="${escapeHtml(value)}"`;
  }
  return out;
}
