import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { GetServerData, GetStaticPaths } from '../src/index.js';
import { listCategories, listProducts, type Product } from '../data/catalog.js';

@customElement('product-list')
export class ProductList extends LitElement {
  static override styles = css`
    ul { list-style: none; padding: 0; display: grid; gap: 0.5rem; }
    li { display: flex; justify-content: space-between; border-bottom: 1px solid #ddd; }
  `;

  @property() category = '';
  @property({ attribute: false }) products: readonly Product[] = [];

  override render() {
    return html`<h1>${this.category}</h1>
      <ul>${this.products.map((p) => html`<li><span>${p.name}</span><span>$${p.price.toFixed(2)}</span></li>`)}</ul>`;
  }
}

export const getServerData: GetServerData = async ({ params }) => {
  const category = String(params['category']);
  const products = await listProducts(category);
  if (products === undefined) return { notFound: true };
  return {
    props: { category, products },
    markup: {
      title: `${category} — Atoll shop`,
      meta: [{ name: 'description', content: `${products.length} products in ${category}` }],
    },
    cache: { ttl: 60 },
  };
};

/** For `npm run generate`: one page per category. */
export const getStaticPaths: GetStaticPaths = async () => (await listCategories()).map((category) => ({ category }));
