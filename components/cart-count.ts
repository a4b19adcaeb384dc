import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { GetServerData } from '../src/index.js';
import { CART_COOKIE, countItems, parseCart } from '../data/cart.js';

/**
 * The header's link to the cart with the number of items. Category pages are cached and shared,
 * so the server reads the cart cookie only on the cart page (which is personal anyway); on other
 * pages the hydrated island reads the cookie in the browser, and again on every `cart-changed`.
 */
@customElement('cart-count')
export class CartCount extends LitElement {
  static override styles = css`
    a { color: #fff; text-decoration: none; background: #0b6e4f; padding: 0.35rem 0.8rem; border-radius: 999px; font-weight: 600; }
  `;

  /** -1: not known on the server. */
  @property({ type: Number }) count = -1;

  override render() {
    return html`<a href="/cart">Cart${this.count > 0 ? html` <span class="count">(${this.count})</span>` : ''}</a>`;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('cart-changed', this.#refresh);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('cart-changed', this.#refresh);
  }

  override firstUpdated(): void {
    this.#refresh();
  }

  readonly #refresh = (): void => {
    const raw = document.cookie
      .split('; ')
      .find((c) => c.startsWith(`${CART_COOKIE}=`))
      ?.slice(CART_COOKIE.length + 1);
    this.count = countItems(parseCart(raw === undefined ? undefined : decodeURIComponent(raw)));
  };
}

// Not destructured: reading `cookies` (a getter) is what makes a page personal, so only the
// cart page may touch it.
export const getServerData: GetServerData = async (context) =>
  context.url === '/cart' || context.url.startsWith('/cart?') ? { props: { count: countItems(parseCart(context.cookies[CART_COOKIE])) } } : undefined;
