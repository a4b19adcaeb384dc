import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { FormAction, GetServerData, GetStaticPaths } from '../src/index.js';
import { findProduct, listCategories, listProducts, type Product } from '../data/catalog.js';
import { CART_COOKIE, parseCart, serializeCart, withItem } from '../data/cart.js';

/**
 * A category's product cards. Each card holds a plain form that posts to `?/addToCart`: with
 * JavaScript off the browser posts it, the action sets the cart cookie and redirects to /cart.
 * Hydrated, the island sends the same post with fetch (JSON mode) and tells the header's cart
 * count, without leaving the page.
 */
@customElement('product-list')
export class ProductList extends LitElement {
  static override styles = css`
    h1 { text-transform: capitalize; }
    ul { list-style: none; padding: 0; display: grid; gap: 1rem; grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr)); }
    li { border: 1px solid #dde3ea; border-radius: 0.75rem; padding: 1rem; background: #fff; display: grid; gap: 0.5rem; box-shadow: 0 1px 2px #0001; }
    .swatch { height: 5rem; border-radius: 0.5rem; background: linear-gradient(135deg, var(--a), var(--b)); }
    .name { font-weight: 600; }
    .price { color: #355; }
    button { font: inherit; padding: 0.4rem 0.8rem; border: 0; border-radius: 0.4rem; background: #0b6e4f; color: #fff; cursor: pointer; width: 100%; }
    button:disabled { background: #8aa; }
    .error { color: #a11; }
    .added { color: #0b6e4f; font-size: 0.9rem; min-height: 1.2em; margin: 0; }
  `;

  @property() category = '';
  @property({ attribute: false }) products: readonly Product[] = [];
  /** Set when the page renders again after a refused post (JavaScript off). */
  @property() error = '';
  @state() private added = '';
  @state() private busy = '';

  override render() {
    return html`<h1>${this.category}</h1>
      ${this.error === '' ? '' : html`<p class="error" role="alert">${this.error}</p>`}
      <ul>${this.products.map(
        (p, i) => html`<li>
          <div class="swatch" style="--a: hsl(${(i * 37) % 360} 60% 70%); --b: hsl(${(i * 37 + 60) % 360} 60% 55%)"></div>
          <span class="name">${p.name}</span>
          <span class="price">$${p.price.toFixed(2)}</span>
          <form method="post" action="?/addToCart" @submit=${(event: SubmitEvent) => this.add(event, p)}>
            <input type="hidden" name="id" value=${p.id}>
            <button ?disabled=${this.busy === p.id}>Add to cart</button>
          </form>
          <p class="added" aria-live="polite">${this.added === p.id ? 'Added ✓' : ''}</p>
        </li>`,
      )}</ul>`;
  }

  /** Only in the browser (hydrated): the same action, answered as JSON. */
  private async add(event: SubmitEvent, product: Product): Promise<void> {
    event.preventDefault();
    this.busy = product.id;
    try {
      const response = await fetch(`${location.pathname}?/addToCart`, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ id: product.id }),
      });
      const result = (await response.json()) as { ok: boolean };
      if (!result.ok) throw new Error(`add to cart: ${response.status}`);
      this.added = product.id;
      window.dispatchEvent(new CustomEvent('cart-changed'));
    } catch (error) {
      console.error(error);
      (event.target as HTMLFormElement).submit(); // fall back to the plain post
    } finally {
      this.busy = '';
    }
  }
}

export const getServerData: GetServerData = async ({ params, actionResult }) => {
  const category = String(params['category']);
  const products = await listProducts(category);
  if (products === undefined) return { notFound: true };
  return {
    props: { category, products, ...(actionResult === undefined ? {} : { error: String((actionResult.data as { error?: string } | null)?.error ?? '') }) },
    markup: {
      title: `${category} — Atoll shop`,
      meta: [{ name: 'description', content: `${products.length} products in ${category}` }],
    },
    cache: { ttl: 60 },
  };
};

export const actions: Record<string, FormAction> = {
  addToCart: async ({ form, cookies, setCookie }) => {
    const product = typeof form['id'] === 'string' ? await findProduct(form['id']) : undefined;
    if (product === undefined) return { status: 422, data: { error: 'That product does not exist.' } };
    const cart = withItem(parseCart(cookies[CART_COOKIE]), product.id, 1);
    setCookie(CART_COOKIE, serializeCart(cart), { httpOnly: false, maxAge: 30 * 24 * 3600 });
    return { redirect: '/cart' };
  },
};

/** For `npm run generate`: one page per category. */
export const getStaticPaths: GetStaticPaths = async () => (await listCategories()).map((category) => ({ category }));
