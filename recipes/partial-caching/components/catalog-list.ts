import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { GetServerData } from '../../../src/index.js';
import { loadCatalog, type Product } from '../data/catalog.js';

@customElement('catalog-list')
export class CatalogList extends LitElement {
  static override styles = css`
    ul { list-style: none; padding: 0; display: grid; gap: 4px; }
  `;

  @property() heading = '';
  @property({ attribute: false }) products: Product[] = [];

  override render() {
    return html`<h2>${this.heading}</h2>
      <ul>${this.products.map((p) => html`<li>${p.name} <b>$${p.price.toFixed(2)}</b></li>`)}</ul>`;
  }
}

/**
 * Public data with a TTL and no header read: the fragment cache keeps this root (its result and
 * its HTML) for 60 s, so a personal page that contains it neither calls this hook nor renders the
 * list again. Tags let a purge reach it by product; reading crossRequestCache.get('catalog') makes
 * it depend on that key, so a later crossRequestCache.set('catalog', …) refreshes it.
 */
export const getServerData: GetServerData = async ({ crossRequestCache, signal }) => {
  let products = crossRequestCache.get<Product[]>('catalog');
  if (products === undefined) {
    products = await loadCatalog(signal);
    crossRequestCache.set('catalog', products, 300);
  }
  return {
    props: { products },
    cache: { ttl: 60, tags: ['catalog', ...products.map((p) => `product:${p.id}`)] },
  };
};
