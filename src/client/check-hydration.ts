import { render, type LitElement } from 'lit';

/**
 * Development only. Lit keeps server-rendered values when they differ from the client's (it does
 * not report mismatches), so after hydration the island's template is rendered again into a
 * detached node and compared with what the server sent; a difference is reported with the tag.
 */
export async function checkHydration(element: HTMLElement): Promise<void> {
  const lit = element as LitElement & { render(): unknown };
  await lit.updateComplete;
  if (typeof lit.render !== 'function' || element.shadowRoot === null) return;
  const fresh = document.createElement('div');
  render(lit.render(), fresh);
  const server = normalise(element.shadowRoot);
  const client = normalise(fresh);
  if (server === client) return;
  let at = 0;
  while (at < server.length && server[at] === client[at]) at++;
  console.error(
    `Atoll: hydration mismatch in <${element.localName}>: the server rendered "${server.slice(Math.max(0, at - 20), at + 40)}" ` +
      `but the browser renders "${client.slice(Math.max(0, at - 20), at + 40)}". Make getServerData props and the render deterministic.`,
  );
}

/** Markup without Lit's comment markers, styles and whitespace between tags. */
function normalise(root: ParentNode): string {
  const copy = document.createElement('div');
  for (const node of root.childNodes) copy.append(node.cloneNode(true));
  for (const style of copy.querySelectorAll('style')) style.remove();
  return copy.innerHTML.replace(/<!--[\s\S]*?-->/g, '').replace(/>\s+</g, '><').trim();
}
