import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { GetServerData } from '../../../src/index.js';
import { fetchProducts, type Product } from '../data/catalog.js';

@customElement('product-list')
export class ProductList extends LitElement {
  static override styles = css`
    :host { display: block; font-family: system-ui, sans-serif; }
    ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 8px; }
    li { border: 1px solid #ddd; border-radius: 4px; padding: 8px; }
    h2 { font-size: 1.1rem; margin: 0; }
    .price { color: #b12704; font-weight: bold; }
    p { color: #555; margin: 4px 0 0; }
  `;

  @property({ attribute: false }) products: Product[] = [];

  override render() {
    return html`<ul>${this.products.map((p) => html`<li><h2>${p.name}</h2><span class="price">$${p.price.toFixed(2)}</span><p>${p.description}</p></li>`)}</ul>`;
  }
}

/**
 * `count` (default 100), `delay` (ms, default 0) and `ttl` (seconds, default none: the reference
 * page is uncached) come from the template attributes.
 */
export const getServerData: GetServerData = async ({ props, signal }) => {
  const products = await fetchProducts(Number(props['count'] ?? 100), Number(props['delay'] ?? 0));
  signal.throwIfAborted();
  return { props: { products }, ...(props['ttl'] === undefined ? {} : { cache: { ttl: Number(props['ttl']) } }) };
};
