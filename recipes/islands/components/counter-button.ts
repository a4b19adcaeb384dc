import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { GetServerData } from '../../../src/index.js';

/** Server-rendered with a count from getServerData; after hydration each click adds one. */
@customElement('counter-button')
export class CounterButton extends LitElement {
  static override styles = css`button { font: inherit; padding: 0.25rem 0.75rem; }`;

  @property() label = '';
  @property({ type: Number }) count = 0;

  override render() {
    return html`<button @click=${() => this.count++}>${this.label}: ${this.count}</button>`;
  }
}

/** The count starts from the template's `start` attribute plus 5, to show data from the server. */
export const getServerData: GetServerData = async ({ props }) => ({
  props: { count: Number(props['start'] ?? 0) + 5 },
});
