import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { GetServerData } from '../../../src/index.js';
import { latency, slowSource } from '../data/slow-source.js';

/** Deferred, static (no JavaScript of its own): its fill is plain declarative shadow DOM moved into place. */
@customElement('related-items')
export class RelatedItems extends LitElement {
  @property({ attribute: false }) items: string[] = [];

  override render() {
    return html`<h2>Related</h2>
      <ul>
        ${this.items.map((item) => html`<li>${item}</li>`)}
      </ul>`;
  }
}

export const getServerData: GetServerData = async ({ query, signal }) => ({
  props: { items: await slowSource(['Cups', 'Strainer'], latency(query, 400), signal) },
});
