import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { GetServerData } from '../src/index.js';

/** The demo's island: server-rendered with the number of items in stock, interactive after hydration. */
@customElement('cart-counter')
export class CartCounter extends LitElement {
  static override styles = css`button { font: inherit; }`;

  @property({ type: Number }) inCart = 0;
  @property({ type: Number }) stock = 0;

  override render() {
    return html`<p>
      <button ?disabled=${this.inCart >= this.stock} @click=${() => this.inCart++}>Add to cart</button>
      ${this.inCart} in cart, ${this.stock - this.inCart} left
    </p>`;
  }
}

export const getServerData: GetServerData = async ({ params }) => ({
  props: { stock: String(params['category']).length + 3 },
});
