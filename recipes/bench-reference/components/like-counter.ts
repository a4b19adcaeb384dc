import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { GetServerData } from '../../../src/index.js';

/** One of the 20 islands of /islands: server-rendered with a count, hydrated in the browser. */
@customElement('like-counter')
export class LikeCounter extends LitElement {
  @property() label = '';
  @property({ type: Number }) likes = 0;

  override render() {
    return html`<button @click=${() => this.likes++}>${this.label}: ${this.likes}</button>`;
  }
}

export const getServerData: GetServerData = async ({ props }) => ({ props: { likes: String(props['label']).length } });
