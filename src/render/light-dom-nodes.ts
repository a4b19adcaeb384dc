import { selectAll, selectOne, is, type Options } from 'css-select';

/**
 * The read-only nodes of the server's light-DOM view: what a template puts inside an element
 * (elements with their attributes, and text), as far as Atoll knows it. Read through the few
 * DOM members slot detection uses (childNodes, children, attributes, textContent, matches,
 * querySelector); nothing here can be changed, and nothing else of the DOM exists.
 */
export type LightNode = LightElement | LightText;

/** A place whose content Atoll cannot know before rendering (a value it could not resolve). */
export class UnknownLightContent {
  constructor(readonly reason: string) {}
}

type LightChild = LightNode | UnknownLightContent;

/** Thrown when code reads light DOM that Atoll does not know; the element then falls back to the browser. */
export class LightDomUnknownError extends Error {
  constructor(what: string, reason: string) {
    super(`${what} is not known on the server (${reason})`);
    this.name = 'LightDomUnknownError';
  }
}

abstract class LightNodeBase {
  /** The node-type constants that DOM code reads from a node (`node.nodeType === node.TEXT_NODE`); on the prototype, as in the DOM. */
  declare readonly ELEMENT_NODE: 1;
  declare readonly TEXT_NODE: 3;
  declare readonly COMMENT_NODE: 8;
  declare readonly DOCUMENT_FRAGMENT_NODE: 11;
  private parent: LightElement | null = null;

  get parentNode(): LightElement | null {
    return this.parent;
  }

  get parentElement(): LightElement | null {
    return this.parent;
  }

  /** Building only (the template walk). */
  setParent(parent: LightElement | null): void {
    this.parent = parent;
  }

  abstract get textContent(): string;
}
for (const [name, value] of Object.entries({ ELEMENT_NODE: 1, TEXT_NODE: 3, COMMENT_NODE: 8, DOCUMENT_FRAGMENT_NODE: 11 })) {
  Object.defineProperty(LightNodeBase.prototype, name, { value, enumerable: false });
}

export class LightText extends LightNodeBase {
  readonly nodeType = 3;
  readonly nodeName = '#text';
  constructor(readonly data: string) {
    super();
  }

  get textContent(): string {
    return this.data;
  }

  get nodeValue(): string {
    return this.data;
  }
}

export class LightElement extends LightNodeBase {
  readonly nodeType = 1;
  /** Own children as the template gives them; an UnknownLightContent marks a value Atoll could not resolve. */
  private readonly content: LightChild[] = [];
  private readonly attributeMap = new Map<string, string>();
  /** Attributes bound to a value Atoll could not resolve: reading one throws. */
  private readonly unknownAttributes = new Map<string, string>();

  constructor(readonly localName: string) {
    super();
  }

  /** Building only (the template walk), as the next three; the view has no setter that component code could call. */
  append(child: LightChild): void {
    if (!(child instanceof UnknownLightContent)) child.setParent(this);
    this.content.push(child);
  }

  defineAttribute(name: string, value: string): void {
    this.attributeMap.set(name, value);
  }

  markAttributeUnknown(name: string, reason: string): void {
    this.unknownAttributes.set(name, reason);
  }

  /** The children with the unknown markers, for the walk. */
  childNodesOrUnknown(): readonly LightChild[] {
    return this.content;
  }

  get tagName(): string {
    return this.localName.toUpperCase();
  }

  get nodeName(): string {
    return this.tagName;
  }

  get childNodes(): readonly LightNode[] {
    const unknown = this.content.find((c) => c instanceof UnknownLightContent);
    if (unknown !== undefined) throw new LightDomUnknownError(`the light DOM of <${this.localName}>`, unknown.reason);
    return this.content as LightNode[];
  }

  get children(): readonly LightElement[] {
    return this.childNodes.filter((n): n is LightElement => n instanceof LightElement);
  }

  get firstChild(): LightNode | null {
    return this.childNodes[0] ?? null;
  }

  get lastChild(): LightNode | null {
    return this.childNodes.at(-1) ?? null;
  }

  get firstElementChild(): LightElement | null {
    return this.children[0] ?? null;
  }

  get lastElementChild(): LightElement | null {
    return this.children.at(-1) ?? null;
  }

  get childElementCount(): number {
    return this.children.length;
  }

  hasChildNodes(): boolean {
    return this.childNodes.length > 0;
  }

  get textContent(): string {
    return this.childNodes.map((n) => n.textContent).join('');
  }

  get id(): string {
    return this.getAttribute('id') ?? '';
  }

  get className(): string {
    return this.getAttribute('class') ?? '';
  }

  get attributes(): readonly { readonly name: string; readonly value: string }[] {
    const unknown = [...this.unknownAttributes.values()][0];
    if (unknown !== undefined) throw new LightDomUnknownError(`an attribute of <${this.localName}>`, unknown);
    return [...this.attributeMap].map(([name, value]) => Object.freeze({ name, value }));
  }

  getAttributeNames(): string[] {
    return this.attributes.map((a) => a.name);
  }

  getAttribute(name: string): string | null {
    const lower = name.toLowerCase();
    const unknown = this.unknownAttributes.get(lower);
    if (unknown !== undefined) throw new LightDomUnknownError(`the attribute ${lower} of <${this.localName}>`, unknown);
    return this.attributeMap.get(lower) ?? null;
  }

  hasAttribute(name: string): boolean {
    return this.getAttribute(name) !== null;
  }

  matches(selector: string): boolean {
    return is(this, selector, SELECT_OPTIONS);
  }

  closest(selector: string): LightElement | null {
    for (let node: LightElement | null = this; node !== null; node = node.parentNode) if (node.matches(selector)) return node;
    return null;
  }

  querySelector(selector: string): LightElement | null {
    return queryOne(this, selector);
  }

  querySelectorAll(selector: string): readonly LightElement[] {
    return queryAll(this, selector);
  }
}

/** `scope`'s first descendant matching `selector` (`:scope` is `scope`), as Element.querySelector. */
export function queryOne(scope: LightElement, selector: string): LightElement | null {
  return selectOne(selector, scope.childNodes as LightNode[], { ...SELECT_OPTIONS, context: scope }) as LightElement | null;
}

/** Every descendant of `scope` matching `selector`, in document order, as Element.querySelectorAll (a static list). */
export function queryAll(scope: LightElement, selector: string): readonly LightElement[] {
  return Object.freeze(selectAll(selector, scope.childNodes as LightNode[], { ...SELECT_OPTIONS, context: scope }) as LightElement[]);
}

/** css-select over the view: every read goes through the members above, so unknown content throws here too. */
const SELECT_OPTIONS: Options<LightNode, LightElement> = {
  xmlMode: false,
  adapter: {
    isTag: (node): node is LightElement => node instanceof LightElement,
    getAttributeValue: (element, name) => element.getAttribute(name) ?? undefined,
    hasAttrib: (element, name) => element.hasAttribute(name),
    getChildren: (node) => (node instanceof LightElement ? [...node.childNodes] : []),
    getName: (element) => element.localName,
    getParent: (node) => node.parentNode,
    getSiblings: (node) => (node.parentNode === null ? [node] : [...node.parentNode.childNodes]),
    getText: (node) => node.textContent,
    removeSubsets: (nodes) => nodes.filter((node, i) => nodes.indexOf(node) === i && !nodes.some((other) => other !== node && contains(other, node))),
  },
};

function contains(ancestor: LightNode, node: LightNode): boolean {
  for (let parent = node.parentNode; parent !== null; parent = parent.parentNode) if (parent === ancestor) return true;
  return false;
}
