import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { GetServerData } from 'atoll';

/**
 * A root without a `hydrate` attribute: rendered on the server, shipped as plain HTML with no
 * JavaScript. Its properties come from getServerData below.
 */
@customElement('hello-greeting')
export class HelloGreeting extends LitElement {
  @property() greeting = '';
  @property() renderedAt = '';

  override render() {
    return html`<h1>${this.greeting}</h1>
      <p>Rendered on the server at ${this.renderedAt}.</p>`;
  }
}

/**
 * Runs on the server for every request, before render. `props` holds the template's attributes
 * (`name="world"`); `query` is the visitor's query string, so treat it as untrusted (Lit escapes
 * what it renders as text).
 */
export const getServerData: GetServerData = async ({ props, query }) => {
  const name = typeof query['name'] === 'string' && query['name'] !== '' ? query['name'] : (props['name'] ?? 'world');
  return {
    props: { greeting: `Hello, ${name}!`, renderedAt: new Date().toISOString() },
    markup: { title: `Hello, ${name}`, meta: [{ name: 'description', content: `A greeting for ${name}` }] },
  };
};
