import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { GetServerData } from '../../../src/index.js';

@customElement('news-ticker')
export class NewsTicker extends LitElement {
  @property() headline = '';

  override render() {
    return html`<p>${this.headline}</p>`;
  }
}

/** News is fresher: 60 seconds. On "/" the shortest TTL (60 s) wins over the route's 1 h and the board's 10 min. */
export const getServerData: GetServerData = async () => ({
  props: { headline: 'Markets calm' },
  cache: { ttl: 60 },
});
