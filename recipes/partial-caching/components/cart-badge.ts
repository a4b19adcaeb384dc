import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { GetServerData } from '../../../src/index.js';

@customElement('cart-badge')
export class CartBadge extends LitElement {
  @property() name = '';
  @property({ type: Number }) items = 0;

  override render() {
    return html`<p>Hi ${this.name} · cart (${this.items})</p>`;
  }
}

/** Personal: it reads cookies, so the page is private and this root runs on every request. */
export const getServerData: GetServerData = ({ cookies }) => ({
  props: { name: cookies['name'] ?? 'guest', items: Number(cookies['cart'] ?? 0) || 0 },
});
