import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { GetServerData } from '../../../src/index.js';
import { latency, slowSource } from '../data/slow-source.js';

/**
 * Not deferred, but failure-isolated: it has a slot="fallback" child, so when its service throws
 * (`?stock=down`) or passes its timeout="300ms", the page still renders with "Stock unknown"
 * in its place (and is not cached). Without the fallback child its failure would be the page's 500.
 */
@customElement('stock-badge')
export class StockBadge extends LitElement {
  @property({ type: Number }) count = 0;

  override render() {
    return html`<strong>${this.count > 0 ? `In stock (${this.count})` : 'Sold out'}</strong>`;
  }
}

export const getServerData: GetServerData = async ({ query, signal }) => {
  if (query['stock'] === 'down') throw new Error('stock service unavailable');
  return { props: { count: await slowSource(12, latency(query, 20), signal) } };
};
