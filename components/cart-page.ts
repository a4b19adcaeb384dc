import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { FormAction, GetServerData } from '../src/index.js';
import { findProduct, type Product } from '../data/catalog.js';
import { CART_COOKIE, parseCart, serializeCart, withItem } from '../data/cart.js';

interface Line {
  product: Product;
  quantity: number;
}

/** The cart, from the cookie: personal, so never cached. Removing an item is a form action too. */
@customElement('cart-page')
export class CartPage extends LitElement {
  static override styles = css`
    table { border-collapse: collapse; width: 100%; background: #fff; }
    th, td { text-align: left; padding: 0.6rem; border-bottom: 1px solid #dde3ea; }
    td.num, th.num { text-align: right; }
    button { font: inherit; border: 1px solid #ccd; background: #fff; border-radius: 0.4rem; cursor: pointer; }
    .total { font-weight: 700; }
  `;

  @property({ attribute: false }) lines: readonly Line[] = [];

  override render() {
    if (this.lines.length === 0) return html`<h1>Your cart</h1><p class="empty">Your cart is empty. <a href="/">Browse the shop</a>.</p>`;
    const total = this.lines.reduce((sum, l) => sum + l.quantity * l.product.price, 0);
    return html`<h1>Your cart</h1>
      <table>
        <thead><tr><th>Product</th><th class="num">Quantity</th><th class="num">Price</th><th></th></tr></thead>
        <tbody>${this.lines.map(
          (l) => html`<tr>
            <td class="name">${l.product.name}</td>
            <td class="num quantity">${l.quantity}</td>
            <td class="num">$${(l.quantity * l.product.price).toFixed(2)}</td>
            <td><form method="post" action="?/remove"><input type="hidden" name="id" value=${l.product.id}><button>Remove</button></form></td>
          </tr>`,
        )}</tbody>
        <tfoot><tr><td colspan="2">Total</td><td class="num total">$${total.toFixed(2)}</td><td></td></tr></tfoot>
      </table>
      <p><a href="/">Continue shopping</a></p>`;
  }
}

export const getServerData: GetServerData = async ({ cookies }) => {
  const lines: Line[] = [];
  for (const [id, quantity] of parseCart(cookies[CART_COOKIE])) {
    const product = await findProduct(id);
    if (product !== undefined) lines.push({ product, quantity });
  }
  return { props: { lines }, markup: { title: 'Your cart — Atoll shop' } };
};

export const actions: Record<string, FormAction> = {
  remove: async ({ form, cookies, setCookie }) => {
    const id = typeof form['id'] === 'string' ? form['id'] : '';
    setCookie(CART_COOKIE, serializeCart(withItem(parseCart(cookies[CART_COOKIE]), id, -99)), { httpOnly: false, maxAge: 30 * 24 * 3600 });
    return { redirect: '/cart' };
  },
};
