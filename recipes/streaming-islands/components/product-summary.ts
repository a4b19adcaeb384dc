import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { GetServerData } from '../../../src/index.js';

/** Fast and not deferred: it decides the page's title and status, and holds the first byte (briefly). */
@customElement('product-summary')
export class ProductSummary extends LitElement {
  static override styles = css`
    h1 {
      margin: 0;
    }
  `;
  @property() name = '';
  @property() price = '';

  override render() {
    return html`<h1>${this.name}</h1>
      <p>${this.price}</p>`;
  }
}

export const getServerData: GetServerData = async ({ params }) => {
  const id = String(params['id']);
  if (!/^[a-z0-9-]{1,40}$/.test(id)) return { notFound: true };
  const name = `Teapot ${id}`;
  return { props: { name, price: '€ 24.00' }, markup: { title: name } };
};
