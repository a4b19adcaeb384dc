import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { GetServerData } from '../../../src/index.js';

@customElement('price-board')
export class PriceBoard extends LitElement {
  @property({ type: Number }) price = 0;

  override render() {
    return html`<p>Price: ${this.price}</p>`;
  }
}

/** Prices may be 10 minutes old; the crossRequestCache keeps them between requests of all visitors. */
export const getServerData: GetServerData = async ({ crossRequestCache }) => {
  let price = crossRequestCache.get<number>('price');
  if (price === undefined) {
    price = 42;
    crossRequestCache.set('price', price, 600);
  }
  return { props: { price }, cache: { ttl: '10 minutes' } };
};
