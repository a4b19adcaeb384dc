/**
 * The server's light-DOM view: an element reading its children during SSR (slot detection)
 * sees what its parent's template and values put there, in the real pipeline.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { startApp, writeApp, type LogLine } from '../helpers/write-app.js';

/** slot-probe renders what it reads: child kinds, the text of its [slot="x"] child, and its element count. */
const probe = `import { LitElement, html } from 'lit';
export class SlotProbe extends LitElement {
  read() {
    const kinds = [...this.childNodes]
      .map((n) => (n.nodeType === Node.TEXT_NODE ? (n.textContent.trim() === '' ? '' : 'text:' + n.textContent.trim()) : n.localName + (n.hasAttribute('slot') ? '[' + n.getAttribute('slot') + ']' : '')))
      .filter((k) => k !== '')
      .join(',');
    const named = this.querySelector(':scope > [slot="x"]')?.textContent ?? 'none';
    return kinds + '|' + named + '|' + this.children.length + '|' + this.querySelectorAll('u').length + '|' + String(this.firstElementChild?.matches('i, u, b') ?? false);
  }
  render() { return html\`<p>\${this.read()}</p>\`; }
}
customElements.define('slot-probe', SlotProbe);
customElements.define('early-probe', class extends LitElement {
  constructor() { super(); this.childNodes; }
});
`;

const host = `import { LitElement, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
// Deeper than the view follows (it is bounded); Lit renders it all.
const deep = (n) => (n === 0 ? html\`<b>x</b>\` : html\`\${deep(n - 1)}\`);
import './_probe.ts';
customElements.define('lit-host', class extends LitElement {
  constructor() { super(); this.slotName = 'x'; this.label = 'Hi <there>'; }
  render() {
    return html\`<slot-probe id="a">one <b>two</b></slot-probe>
<slot-probe id="b"><i slot=\${this.slotName}>\${this.label}</i>\${nothing}</slot-probe>
<slot-probe id="skipped" hydrate="client-only">x</slot-probe>
<slot-probe id="c">\${repeat(['p', 'q'], (k) => k, (k) => html\`<u>\${k}</u>\`)}\${html\`<em slot="x">nested</em>\`}</slot-probe>
<slot-probe id="d"><slot-probe id="e"><s>deep</s></slot-probe></slot-probe>
<slot-probe id="f">\${deep(70)}</slot-probe>
<slot-probe id="g">after</slot-probe>\`;
  }
});
`;

let server: FastifyInstance;
let logs: LogLine[];
beforeAll(async () => {
  const root = writeApp({
    'app.config.json': {
      pageCache: { enabled: false },
      routes: [
        { id: 'host', path: '/', contentTemplate: 'host.html' },
        { id: 'root', path: '/root', contentTemplate: 'root.html' },
        { id: 'early', path: '/early', contentTemplate: 'early.html' },
      ],
    },
    'host.html': '<lit-host hydrate></lit-host>',
    'root.html': '<slot-probe>page <b slot="x">bold</b></slot-probe>',
    'early.html': '<lit-early></lit-early>',
    'components/_probe.ts': probe,
    'components/slot-probe.ts': `import './_probe.ts';`,
    'components/lit-host.ts': host,
    'components/lit-early.ts': `import { LitElement, html } from 'lit';
import './_probe.ts';
customElements.define('lit-early', class extends LitElement { render() { return html\`<early-probe>x</early-probe>\`; } });
`,
  });
  ({ server, logs } = await startApp(root));
});
afterAll(async () => {
  await server?.close();
});

/** What the probe with this id rendered on the server, or undefined when it was sent unrendered. */
function probed(body: string, id: string): string | undefined {
  return new RegExp(`<slot-probe\\s+id="${id}"[^>]*><template shadowroot="open"[^>]*>[\\s\\S]*?<p><!--lit-part-->(.*?)<!--/lit-part--></p>`).exec(body)?.[1];
}

function fallbacks(routeId: string): Record<string, string> {
  return Object.fromEntries(logs.filter((l) => l['code'] === 'ATOLL_ELEMENT_RENDERED_IN_BROWSER' && l['routeId'] === routeId).map((l) => [l['tag'] as string, l.msg]));
}

test('an element reads the light DOM its parent template gives it: static children, bound text and attributes, repeat and nested templates, nesting', async () => {
  const response = await server.inject('/');
  expect(response.statusCode).toBe(200);
  expect(probed(response.body, 'a')).toBe('text:one,b|none|1|0|true');
  // Bound text is the raw string (escaped only when written to HTML); a bound slot attribute counts.
  expect(probed(response.body, 'b')).toBe('i[x]|Hi &lt;there&gt;|1|0|true');
  expect(probed(response.body, 'skipped')).toBeUndefined();
  // The client-only element before it still counts in the order, so c..e read their own children.
  expect(probed(response.body, 'c')).toBe('u,u,em[x]|nested|3|2|true');
  expect(probed(response.body, 'd')).toBe('slot-probe|none|1|0|false');
  expect(probed(response.body, 'e')).toBe('s|none|1|0|false');
});

test('content Atoll cannot resolve is never guessed: the reader, and every element after it in that template, falls back to the browser naming why', async () => {
  const body = (await server.inject('/')).body;
  expect(probed(body, 'f')).toBeUndefined();
  expect(probed(body, 'g')).toBeUndefined();
  expect(body).toMatch(/<slot-probe\s+id="g" defer-hydration>after<\/slot-probe>/);
  const warned = fallbacks('host');
  expect(Object.keys(warned)).toEqual(['slot-probe']);
  expect(warned['slot-probe']).toContain('the light DOM of <slot-probe> is not known on the server (templates nested deeper than 64)');
  expect(warned['slot-probe']).not.toContain('follows');
});

test('a root component reads the light DOM the page template gives it', async () => {
  const response = await server.inject('/root');
  expect(response.statusCode).toBe(200);
  expect(/<p><!--lit-part-->(.*?)<!--\/lit-part--><\/p>/.exec(response.body)?.[1]).toBe('text:page,b[x]|bold|1|0|true');
});

test('reading it in the constructor, before the element has a place, falls back at the constructor with that cause', async () => {
  const response = await server.inject('/early');
  expect(response.statusCode).toBe(200);
  expect(response.body).toContain('<early-probe defer-hydration>x</early-probe>');
  expect(fallbacks('early')['early-probe']).toContain(
    'threw in its constructor on the server: the light DOM of <early-probe> is not known on the server (it was read before the element took its place in a template',
  );
});
