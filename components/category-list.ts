import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { GetServerData } from '../src/index.js';
import { listCategories } from '../data/catalog.js';

@customElement('category-list')
export class CategoryList extends LitElement {
  @property({ attribute: false }) categories: readonly string[] = [];

  override render() {
    return html`<ul>${this.categories.map((c) => html`<li><a href="/category/${c}">${c}</a></li>`)}</ul>`;
  }
}

export const getServerData: GetServerData = async () => ({
  props: { categories: await listCategories() },
  cache: { ttl: '5 minutes' },
});
