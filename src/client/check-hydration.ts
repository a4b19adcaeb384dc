import { render, type LitElement } from 'lit';

type Updating = Element & { updateComplete?: Promise<boolean> };

/** Rounds of "wait for the nested elements' updates": an element that updates forever is compared as it is then. */
const MAX_SETTLE_ROUNDS = 20;

/**
 * Development only. Lit keeps server-rendered values when they differ from the client's (it does
 * not report mismatches), so after hydration the island's template is rendered again and
 * compared with what the server sent; a difference is reported with the tag.
 *
 * Nested custom elements change their own host markup once connected: they reflect properties
 * to attributes (`reflect: true`), set attributes in connectedCallback, upgrade when their
 * definition arrives. So that this never reads as a mismatch, the fresh render is connected too,
 * hidden at the end of the island's shadow root (where the island's styles, context and
 * definitions apply), and both trees are compared only once every nested element that is defined
 * has completed its pending updates. Elements not defined yet are un-upgraded in both trees.
 */
export async function checkHydration(element: HTMLElement): Promise<void> {
  const lit = element as LitElement & { render(): unknown };
  await lit.updateComplete;
  const root = element.shadowRoot;
  if (typeof lit.render !== 'function' || root === null) return;
  const server = [...root.childNodes];
  const fresh = document.createElement('div');
  fresh.hidden = true;
  fresh.style.setProperty('display', 'none', 'important');
  render(lit.render(), fresh, { host: element });
  // What the template gives each nested custom element, before it connects: the attributes it
  // then sets on its own host (Web Awesome's did-ssr, Carbon's has-main-content, reflected
  // properties) differ between a hydrated and a fresh element by design and are not compared.
  const templateAttributes = nested([fresh]).map((e) => new Set(e.getAttributeNames()));
  root.append(fresh);
  let serverText: string;
  let clientText: string;
  try {
    await settle([...server, fresh]);
    serverText = normalise(server, templateAttributes);
    clientText = normalise([...fresh.childNodes], templateAttributes);
  } finally {
    fresh.remove();
  }
  if (serverText === clientText) return;
  let at = 0;
  while (at < serverText.length && serverText[at] === clientText[at]) at++;
  console.error(
    `Atoll: hydration mismatch in <${element.localName}>: the server rendered "${serverText.slice(Math.max(0, at - 20), at + 40)}" ` +
      `but the browser renders "${clientText.slice(Math.max(0, at - 20), at + 40)}". Make getServerData props and the render deterministic.`,
  );
}

/** Resolves when no defined custom element in these trees (light DOM, not their shadow roots) has an update pending. */
async function settle(nodes: readonly Node[]): Promise<void> {
  for (let round = 0; round < MAX_SETTLE_ROUNDS; round++) {
    const pending = nested(nodes).filter((e) => customElements.get(e.localName) !== undefined && e.updateComplete !== undefined);
    const done = await Promise.all(pending.map((e) => e.updateComplete));
    if (done.every(Boolean)) return;
  }
}

function nested(nodes: readonly Node[]): Updating[] {
  const found: Updating[] = [];
  for (const node of nodes) {
    if (!(node instanceof Element)) continue;
    for (const e of [node, ...node.querySelectorAll('*')]) if (e.localName.includes('-')) found.push(e as Updating);
  }
  return found;
}

/** Markup without Lit's comment markers, styles, whitespace between tags, and attributes the i-th nested custom element set on itself. */
function normalise(nodes: readonly Node[], templateAttributes: readonly ReadonlySet<string>[]): string {
  const copy = document.createElement('div');
  for (const node of nodes) copy.append(node.cloneNode(true));
  for (const style of copy.querySelectorAll('style')) style.remove();
  nested([...copy.childNodes]).forEach((e, i) => {
    // Past the template's elements: one a component appended itself (Carbon's cds-modal-body).
    const keep = templateAttributes[i] ?? new Set<string>();
    for (const name of e.getAttributeNames()) if (!keep.has(name)) e.removeAttribute(name);
  });
  return copy.innerHTML
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/>\s+</g, '><')
    .trim();
}
