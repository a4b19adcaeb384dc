import { LitElement, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import type { GetServerData } from '../../../src/index.js';

@customElement('share-links')
export class ShareLinks extends LitElement {
  override render() {
    return html`<nav>Share</nav>`;
  }
}

/** A second root: its title loses to the first root's, its duplicate description is dropped, its other tags are added. */
export const getServerData: GetServerData = async () => ({
  markup: {
    title: 'ignored: the first root in document order wins',
    meta: [
      { name: 'description', content: 'ignored: first meta per name wins' },
      { name: 'twitter:card', content: 'summary' },
    ],
  },
});
