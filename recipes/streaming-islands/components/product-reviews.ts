import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { GetServerData } from '../../../src/index.js';
import { latency, slowSource } from '../data/slow-source.js';

interface Review {
  readonly author: string;
  readonly text: string;
}

/**
 * Deferred and hydrated: the page goes out with "Loading reviews…" in its place; about a second
 * later its fill arrives in the same response, takes that place, and then hydrates with its
 * props (the Helpful button works). Its light child "Reviews are moderated." is slotted once the
 * component is in place.
 */
@customElement('product-reviews')
export class ProductReviews extends LitElement {
  static override styles = css`
    li {
      margin-block: 0.25em;
    }
  `;
  @property({ attribute: false }) reviews: Review[] = [];
  @property({ type: Number }) helpful = 0;

  override render() {
    return html`<h2>Reviews</h2>
      <ul>
        ${this.reviews.map((r) => html`<li><b>${r.author}</b>: ${r.text}</li>`)}
      </ul>
      <slot></slot>
      <button @click=${() => this.helpful++}>Helpful (${this.helpful})</button>`;
  }
}

const REVIEWS: readonly Review[] = [
  { author: 'Ada', text: 'Pours without dripping.' },
  { author: 'Lin', text: 'Keeps tea hot for an hour <really>.' },
];

export const getServerData: GetServerData = async ({ query, signal }) => ({
  props: { reviews: await slowSource(REVIEWS, latency(query, 1000), signal), helpful: 3 },
  // A deferred root's TTL still counts: the page is stored complete with the shortest one.
  cache: { ttl: 30 },
});
