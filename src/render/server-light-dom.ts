import { ReactiveElement, type TemplateResult } from 'lit';
import type { ElementRenderer } from '@lit-labs/ssr/lib/element-renderer.js';
import { LightDomUnknownError, queryAll, queryOne, type LightElement } from './light-dom-nodes.js';
import type { LightTree, TemplateLightDom } from './template-light-dom.js';

/** Where an element stands: the ordinal-th custom element Lit opened in `host`'s shadow (or in the page body). */
interface LightPlace {
  readonly host: object;
  readonly ordinal: number;
}

const kLightDom = Symbol('atoll.lightDom');

type PlacedElement = HTMLElement & { [kLightDom]?: ServerLightDom };

/**
 * The light DOM Atoll knows during one render, offered to the elements being rendered: Lit
 * renders an element's shadow before its children, so slot detection (`this.querySelector`,
 * `host.childNodes`) finds nothing in Lit's server DOM shim. A page that never reads it pays two
 * array appends and one property per opened element and one per rendered shadow; the first read
 * works out the places of the elements opened so far and builds the host template's tree, once
 * per host. Per render: created by renderBodyResult, reached through the render info and the elements.
 */
export class ServerLightDom {
  /** Every opened element followed by its host, in the order Lit opened them. */
  private readonly opens: object[] = [];
  private readonly templates = new Map<object, TemplateResult>();
  private readonly places = new Map<object, LightPlace>();
  private placedUpTo = 0;
  private readonly counts = new Map<object, number>();
  private readonly trees = new Map<object, LightTree>();
  /** Stands for the page body, the host of the root components. */
  private readonly body = {};

  constructor(
    private readonly index: TemplateLightDom,
    body: TemplateResult,
  ) {
    this.templates.set(this.body, body);
  }

  /** From Lit's customElementRendered, given the render's instance and host stacks: the element just opened is the last instance; its host is the innermost host being rendered. */
  elementOpened(instances: readonly ElementRenderer[], hosts: readonly ElementRenderer[]): void {
    const element = instances.at(-1)?.element as PlacedElement | undefined;
    // An element without an instance (not rendered on the server) still takes its position.
    this.opens.push(element ?? {}, hosts.at(-1) ?? this.body);
    if (element !== undefined) element[kLightDom] = this;
  }

  /** A host's own render() result, whose light DOM its nested elements may read. */
  shadowRendered(host: object, template: TemplateResult): void {
    this.templates.set(host, template);
  }

  lightOf(element: HTMLElement): LightElement {
    const what = `the light DOM of <${element.localName}>`;
    for (; this.placedUpTo < this.opens.length; this.placedUpTo += 2) {
      const host = this.opens[this.placedUpTo + 1]!;
      const ordinal = this.counts.get(host) ?? 0;
      this.counts.set(host, ordinal + 1);
      this.places.set(this.opens[this.placedUpTo]!, { host, ordinal });
    }
    const place = this.places.get(element)!;
    let tree = this.trees.get(place.host);
    if (tree === undefined) {
      const template = this.templates.get(place.host);
      if (template === undefined) throw new LightDomUnknownError(what, 'its parent did not render a Lit template');
      tree = this.index.tree(template);
      this.trees.set(place.host, tree);
    }
    const light = tree.elements[place.ordinal];
    if (light === undefined || light.localName !== element.localName) {
      throw new LightDomUnknownError(what, `it follows ${tree.orderLostAt ?? 'content Atoll does not track'} in its parent's template`);
    }
    return light;
  }
}

function lightOfHost(element: PlacedElement): LightElement {
  const dom = element[kLightDom];
  if (dom === undefined)
    throw new LightDomUnknownError(`the light DOM of <${element.localName}>`, 'it was read before the element took its place in a template, e.g. in its constructor');
  return dom.lightOf(element);
}

/**
 * The members of a host that read its light DOM, as the browser has them, answered from the
 * view; installed once on the server's HTMLElement shim, each only where the shim (or a fuller
 * one the app installed) has none. Read-only: no member here changes anything.
 */
const HOST_MEMBERS: Record<string, PropertyDescriptor> = {
  childNodes: getter((light) => light.childNodes),
  children: getter((light) => light.children),
  firstChild: getter((light) => light.firstChild),
  lastChild: getter((light) => light.lastChild),
  firstElementChild: getter((light) => light.firstElementChild),
  lastElementChild: getter((light) => light.lastElementChild),
  childElementCount: getter((light) => light.childElementCount),
  hasChildNodes: method(function (this: PlacedElement) {
    return lightOfHost(this).hasChildNodes();
  }),
  querySelector: method(function (this: PlacedElement, selector: string) {
    return queryOne(lightOfHost(this), selector);
  }),
  querySelectorAll: method(function (this: PlacedElement, selector: string) {
    return queryAll(lightOfHost(this), selector);
  }),
};

function getter(read: (light: LightElement) => unknown): PropertyDescriptor {
  return {
    configurable: true,
    enumerable: false,
    get(this: PlacedElement) {
      return read(lightOfHost(this));
    },
  };
}

function method(fn: (this: PlacedElement, ...args: never[]) => unknown): PropertyDescriptor {
  return { configurable: true, enumerable: false, writable: true, value: fn };
}

const NODE_CONSTANTS = {
  ELEMENT_NODE: 1,
  ATTRIBUTE_NODE: 2,
  TEXT_NODE: 3,
  CDATA_SECTION_NODE: 4,
  PROCESSING_INSTRUCTION_NODE: 7,
  COMMENT_NODE: 8,
  DOCUMENT_NODE: 9,
  DOCUMENT_TYPE_NODE: 10,
  DOCUMENT_FRAGMENT_NODE: 11,
  DOCUMENT_POSITION_DISCONNECTED: 1,
  DOCUMENT_POSITION_PRECEDING: 2,
  DOCUMENT_POSITION_FOLLOWING: 4,
  DOCUMENT_POSITION_CONTAINS: 8,
  DOCUMENT_POSITION_CONTAINED_BY: 16,
  DOCUMENT_POSITION_IMPLEMENTATION_SPECIFIC: 32,
};

/**
 * Idempotent; call at startup, before the components are imported. The prototype is the one
 * every LitElement on the server extends. Slot detection compares `node.nodeType ===
 * Node.TEXT_NODE` (Web Awesome, Carbon) and Carbon reads `Node.DOCUMENT_POSITION_*` at import,
 * so the global `Node` is the shim's Node class with the DOM's constants; a global the app or a
 * fuller shim defined stays as it is.
 */
export function installServerLightDom(): void {
  const proto = Object.getPrototypeOf(ReactiveElement.prototype) as object;
  for (const [name, descriptor] of Object.entries(HOST_MEMBERS)) if (!(name in proto)) Object.defineProperty(proto, name, descriptor);
  const scope = globalThis as { Node?: object };
  if (scope.Node !== undefined) return;
  let NodeShim: object | null = proto.constructor;
  while (NodeShim !== null && (NodeShim as { name?: string }).name !== 'Node') NodeShim = Object.getPrototypeOf(NodeShim) as object | null;
  if (NodeShim === null) return;
  for (const [name, value] of Object.entries(NODE_CONSTANTS)) if (!(name in NodeShim)) Object.defineProperty(NodeShim, name, { value, enumerable: true });
  Object.defineProperty(globalThis, 'Node', { value: NodeShim, configurable: true, writable: true, enumerable: false });
}
