import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { GetServerData } from '../../../src/index.js';

/** A hydrated island in a prerendered page: its server count is baked in at build time. */
@customElement('like-button')
export class LikeButton extends LitElement {
  @property({ type: Number }) likes = 0;

  override render() {
    return html`<button @click=${() => this.likes++}>♥ ${this.likes}</button>`;
  }
}

export const getServerData: GetServerData = async ({ params }) => ({ props: { likes: String(params['slug']).length } });
