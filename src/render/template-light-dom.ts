import { parseFragment, type DefaultTreeAdapterMap } from 'parse5';
import { nothing, noChange, type TemplateResult } from 'lit';
import { PartType, type PartInfo } from 'lit/directive.js';
import { getDirectiveClass, isCompiledTemplateResult, isPrimitive, isTemplateResult, TemplateResultType } from 'lit/directive-helpers.js';
import { _$LH } from 'lit-html/private-ssr-support.js';
import { isRenderLightDirective } from '@lit-labs/ssr-client/directives/render-light.js';
import { LightElement, LightText, UnknownLightContent } from './light-dom-nodes.js';

const { getTemplateHtml, marker, markerMatch, boundAttributeSuffix } = _$LH;

type ParsedNode = DefaultTreeAdapterMap['childNode'];
type ParsedParent = DefaultTreeAdapterMap['parentNode'];

interface ParsedTemplate {
  readonly fragment: DefaultTreeAdapterMap['documentFragment'];
  /** Bound attribute names as written (`.value`, `?disabled`, `slot`), in part order. */
  readonly attrNames: readonly string[];
}

/** A rendered template as light DOM: its nodes, and its defined custom elements in the order Lit SSR opens them. */
export interface LightTree {
  /** The nodes at the template's top level hang under this container, which is not itself in the view. */
  readonly container: LightElement;
  /** elements[i] is the i-th defined custom element Lit opens while rendering this template; only a known prefix is listed. */
  readonly elements: readonly LightElement[];
  /** Why the list stops early (a value whose content Atoll could not resolve), or undefined when it is complete. */
  readonly orderLostAt: string | undefined;
}

/** Nested templates and directive results deeper than this are not followed (the view says unknown). */
const MAX_DEPTH = 64;

/**
 * Builds the light DOM a template gives its elements, from the template strings and the values
 * of one render, following Lit SSR's own order of parts (attributes of an element before its
 * children, in source order), so that the n-th custom element here is the n-th Lit opens.
 * Parsed strings are kept per app, as Lit keeps its own; the tree is built per render, only
 * when an element reads its light DOM.
 *
 * Directive values are resolved the way the server renders them (a new instance's render());
 * one that throws, a compiled template or renderLight() leaves unknown content, so a read
 * of that part throws and the reading element falls back to the browser, where Lit's own
 * render reports any real error.
 */
export class TemplateLightDom {
  private readonly parsed = new WeakMap<object, ParsedTemplate>();

  tree(result: TemplateResult): LightTree {
    const container = new LightElement('#container');
    const walk = new Walk(this);
    walk.appendTemplate(result, container, 0);
    for (const node of container.childNodesOrUnknown()) if (!(node instanceof UnknownLightContent)) node.setParent(null);
    return { container, elements: walk.elements, orderLostAt: walk.orderLostAt };
  }

  parse(result: TemplateResult): ParsedTemplate {
    let parsed = this.parsed.get(result.strings);
    if (parsed === undefined) {
      const [html, attrNames] = getTemplateHtml(result.strings, TemplateResultType.HTML);
      parsed = { fragment: parseFragment(String(html)), attrNames };
      this.parsed.set(result.strings, parsed);
    }
    return parsed;
  }
}

class Walk {
  readonly elements: LightElement[] = [];
  orderLostAt: string | undefined;

  constructor(private readonly templates: TemplateLightDom) {}

  appendTemplate(result: TemplateResult, parent: LightElement, depth: number): void {
    if (isCompiledTemplateResult(result)) {
      this.unknown(parent, 'a compiled template');
      return;
    }
    let parsed: ParsedTemplate;
    try {
      parsed = this.templates.parse(result);
    } catch (error) {
      this.unknown(parent, `a template Atoll could not parse: ${String(error)}`);
      return;
    }
    const cursor = { value: 0, attr: 0 };
    const visit = (node: ParsedNode, into: LightElement): void => {
      if (node.nodeName === '#comment') {
        if ((node as DefaultTreeAdapterMap['commentNode']).data === markerMatch) this.appendValue(result.values[cursor.value++], into, depth + 1);
        return;
      }
      if (node.nodeName === '#text') {
        into.append(new LightText((node as DefaultTreeAdapterMap['textNode']).value));
        return;
      }
      if (!('tagName' in node)) return;
      const element = new LightElement(node.tagName);
      for (const attr of node.attrs) {
        if (attr.name.endsWith(boundAttributeSuffix)) {
          const name = parsed.attrNames[cursor.attr++]!;
          const statics = attr.value.split(marker);
          const values = result.values.slice(cursor.value, cursor.value + statics.length - 1);
          cursor.value += statics.length - 1;
          bindAttribute(element, node.tagName, name, statics, values);
        } else if (attr.name.startsWith(marker)) {
          cursor.value++;
        } else {
          element.defineAttribute(attr.name, attr.value);
        }
      }
      into.append(element);
      if (node.tagName.includes('-') && customElements.get(node.tagName) !== undefined && this.orderLostAt === undefined) this.elements.push(element);
      // A <template>'s content is not walked by Lit SSR in a hydratable template either.
      for (const child of (node as ParsedParent).childNodes) visit(child, element);
    };
    for (const child of parsed.fragment.childNodes) visit(child, parent);
  }

  private appendValue(value: unknown, parent: LightElement, depth: number): void {
    if (depth > MAX_DEPTH) {
      this.unknown(parent, `templates nested deeper than ${MAX_DEPTH}`);
      return;
    }
    if (isRenderLightDirective(value)) {
      this.unknown(parent, 'renderLight()');
      return;
    }
    const resolved = resolveDirectives(value, { type: PartType.CHILD });
    if (resolved instanceof UnknownLightContent) {
      this.unknown(parent, resolved.reason);
      return;
    }
    if (resolved === undefined || resolved === null || resolved === nothing || resolved === noChange) return;
    if (isTemplateResult(resolved)) {
      this.appendTemplate(resolved as TemplateResult, parent, depth);
      return;
    }
    if (!isPrimitive(resolved) && typeof (resolved as Iterable<unknown>)[Symbol.iterator] === 'function') {
      for (const item of resolved as Iterable<unknown>) this.appendValue(item, parent, depth + 1);
      return;
    }
    parent.append(new LightText(String(resolved)));
  }

  private unknown(parent: LightElement, reason: string): void {
    parent.append(new UnknownLightContent(reason));
    this.orderLostAt ??= reason;
  }
}

/** An attribute binding's value as Lit SSR writes it: `nothing` removes it, null is empty, `?name` is present when truthy. */
function bindAttribute(element: LightElement, tagName: string, written: string, statics: readonly string[], values: readonly unknown[]): void {
  const prefix = written[0];
  if (prefix === '.' || prefix === '@') return;
  const name = (prefix === '?' ? written.slice(1) : written).toLowerCase();
  const partInfo = { type: prefix === '?' ? PartType.BOOLEAN_ATTRIBUTE : PartType.ATTRIBUTE, name, tagName: tagName.toUpperCase(), strings: statics } as unknown as PartInfo;
  const resolved = values.map((v) => resolveDirectives(v, partInfo));
  const unknown = resolved.find((v) => v instanceof UnknownLightContent);
  if (unknown !== undefined) {
    element.markAttributeUnknown(name, unknown.reason);
    return;
  }
  if (prefix === '?') {
    if (resolved[0] && resolved[0] !== nothing && resolved[0] !== noChange) element.defineAttribute(name, '');
    return;
  }
  if (resolved.some((v) => v === nothing || v === noChange)) return;
  element.defineAttribute(
    name,
    statics.reduce((text, s, i) => text + (i === 0 ? '' : stringOf(resolved[i - 1])) + s, ''),
  );
}

function stringOf(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

/** A directive result becomes what its render() returns on the server (nested directives too); a throw is unknown content. */
function resolveDirectives(value: unknown, partInfo: PartInfo): unknown {
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const Directive = getDirectiveClass(value);
    if (Directive === undefined) return value;
    try {
      const directive = new Directive(partInfo) as unknown as { render(...args: unknown[]): unknown };
      value = directive.render(...((value as { values: unknown[] }).values ?? []));
    } catch (error) {
      return new UnknownLightContent(`the directive ${Directive.name || 'value'} threw: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return new UnknownLightContent(`directives nested deeper than ${MAX_DEPTH}`);
}
