import { parseFragment } from 'parse5';
import { walkElements } from './walk-html.js';
import {
  DEFER_ATTRIBUTE,
  DEFER_HYDRATION,
  DEFERRED_ATTRIBUTE,
  FALLBACK_SLOT,
  FILL_ATTRIBUTE,
  HYDRATE_ATTRIBUTE,
  HYDRATE_MARGIN_ATTRIBUTE,
  HYDRATE_MODES,
  ISLAND_ATTRIBUTE,
  ROOT_TIMEOUT_ATTRIBUTE,
  parseHydrate,
  type HydrateMode,
} from '../island-protocol.js';
import { parseDurationMs } from '../config/parse-ttl.js';

/** One root component instance of a page, in document order. */
export interface RootElement {
  /** Position among the page's roots; also the island id in the HTML. */
  readonly index: number;
  readonly tag: string;
  /** Template attributes, kebab-case names camelCased, as `context.props`. */
  readonly props: Readonly<Record<string, string>>;
  /** undefined: a static root that ships no JavaScript. */
  readonly hydrate: HydrateMode | undefined;
  /** `defer`: the page is sent without waiting for this root's data; its fill follows in the same response. */
  readonly defer: boolean;
  /** `timeout="800ms"`: bound on this root's getServerData, in ms. */
  readonly timeoutMs: number | undefined;
  /** It has light-DOM children with slot="fallback": a failure of this root shows them instead of failing the page. */
  readonly hasFallback: boolean;
  /**
   * Its start tag as the page's template sends it: the template's attributes and directives plus
   * the island id Atoll adds (without the closing `>`). Two roots with the same start tag get the
   * same attributes from the renderer for the same data.
   */
  readonly startTag: string;
  /** Deferred roots only: the root element alone (with its light DOM) as Lit template strings, one props binding. */
  readonly fill: TemplateStringsArray | undefined;
}

export interface CompiledBody {
  /** Static strings of a Lit template: one property binding per root carries its data props. */
  readonly strings: TemplateStringsArray;
  readonly roots: readonly RootElement[];
}

/** The property binding through which a root's data props reach the element renderer. */
export const PROPS_BINDING = '__atollProps';

/**
 * Finds the root components (custom elements with a module) in the page body and turns the body
 * into Lit template strings, once per route at startup, so requests reuse Lit's parsed template.
 *
 * `<x-card title="a" hydrate>` becomes
 * `<x-card title="a" hydrate data-atoll-island="0" defer-hydration .__atollProps=${props}>`:
 * islands get their id and `defer-hydration` (the browser sets props, then lets them hydrate).
 * `allInBrowser` (a route with bootstrap.ssr false) makes every root a client-only island.
 */
export function compileBody(source: string, components: ReadonlySet<string>, where: string, problems: string[], allInBrowser = false): CompiledBody {
  const fragment = parseFragment(source, { sourceCodeLocationInfo: true });
  const strings: string[] = [];
  const roots: RootElement[] = [];
  let position = 0;
  let deferredEnd = -1;
  for (const element of walkElements(fragment)) {
    const tag = element.tagName;
    const hydrateAttr = element.attrs.find((a) => a.name === HYDRATE_ATTRIBUTE);
    if (!components.has(tag)) {
      if (hydrateAttr !== undefined && tag.includes('-')) {
        problems.push(`${where}: <${tag} hydrate> has no module in components/ (expected components/${tag}.ts); add it or remove the hydrate attribute`);
      }
      continue;
    }
    let hydrate: HydrateMode | undefined = allInBrowser ? 'client-only' : undefined;
    if (hydrateAttr !== undefined && !allInBrowser) {
      hydrate = parseHydrate(hydrateAttr.value);
      if (hydrate === undefined)
        problems.push(
          `${where}: <${tag} hydrate=${JSON.stringify(hydrateAttr.value)}> is not a known directive; use one of hydrate, ${HYDRATE_MODES.map((m) => `hydrate="${m}"`).join(', ')}, hydrate="media(<query>)" (a non-empty media query with balanced parentheses)`,
        );
    }
    const reserved = element.attrs.find((a) => MANAGED_ATTRIBUTES.includes(a.name));
    if (reserved !== undefined) problems.push(`${where}: <${tag}> sets "${reserved.name}", which Atoll manages; remove it`);
    const startTag = element.sourceCodeLocation!.startTag!;
    const tagText = source.slice(startTag.startOffset, startTag.endOffset);
    const insertAt = startTag.endOffset - (tagText.endsWith('/>') ? 2 : 1);
    const index = roots.length;
    const extra = hydrate === undefined ? '' : ` ${ISLAND_ATTRIBUTE}="${index}"${hydrate === 'client-only' ? '' : ` ${DEFER_HYDRATION}`}`;
    const location = element.sourceCodeLocation!;
    if (location.startOffset < deferredEnd) problems.push(`${where}: <${tag}> is inside a deferred root; a deferred root cannot hold other roots, move <${tag}> out of it`);
    const defer = element.attrs.some((a) => a.name === DEFER_ATTRIBUTE) && !allInBrowser;
    let fill: TemplateStringsArray | undefined;
    if (defer) {
      if (location.endTag === undefined) problems.push(`${where}: <${tag} defer> has no end tag; close it with </${tag}>`);
      deferredEnd = location.endOffset;
      fill = templateStrings([`${source.slice(location.startOffset, insertAt)}${extra} .${PROPS_BINDING}=`, source.slice(insertAt, location.endOffset)]);
    }
    const timeoutAttr = element.attrs.find((a) => a.name === ROOT_TIMEOUT_ATTRIBUTE);
    const timeoutMs = timeoutAttr === undefined ? undefined : parseDurationMs(timeoutAttr.value);
    if (timeoutAttr !== undefined && (timeoutMs === undefined || timeoutMs === 0)) {
      problems.push(`${where}: <${tag} timeout="${timeoutAttr.value}"> is not a duration; use a number with a unit above zero, such as timeout="800ms" or timeout="2s"`);
    }
    const hasFallback = element.childNodes.some((child) => 'attrs' in child && child.attrs.some((a) => a.name === 'slot' && a.value === FALLBACK_SLOT));
    strings.push(`${source.slice(position, insertAt)}${extra} .${PROPS_BINDING}=`);
    position = insertAt;
    roots.push({
      index,
      tag,
      props: attributesToProps(element.attrs),
      hydrate,
      defer,
      timeoutMs,
      hasFallback,
      startTag: source.slice(startTag.startOffset, insertAt) + extra,
      fill,
    });
  }
  strings.push(source.slice(position));
  return { strings: templateStrings(strings), roots };
}

/** Attributes Atoll writes itself: a template may not set them. */
const MANAGED_ATTRIBUTES: readonly string[] = [ISLAND_ATTRIBUTE, DEFER_HYDRATION, DEFERRED_ATTRIBUTE, FILL_ATTRIBUTE];
/** Directives to Atoll, not data for the component: they do not reach `context.props`. */
const NOT_PROPS: readonly string[] = [HYDRATE_ATTRIBUTE, HYDRATE_MARGIN_ATTRIBUTE, DEFER_ATTRIBUTE, ROOT_TIMEOUT_ATTRIBUTE];

/** `some-flag` → `someFlag`; a valueless attribute is "true", as in LWR (so it is not falsy). */
function attributesToProps(attrs: readonly { name: string; value: string }[]): Record<string, string> {
  const props: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const { name, value } of attrs) {
    if (NOT_PROPS.includes(name)) continue;
    props[name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())] = value === '' ? 'true' : value;
  }
  return props;
}

/** Lit accepts only arrays that look like a tagged template's strings (they carry `raw`). */
function templateStrings(strings: string[]): TemplateStringsArray {
  return Object.freeze(Object.assign(strings, { raw: Object.freeze([...strings]) })) as unknown as TemplateStringsArray;
}
