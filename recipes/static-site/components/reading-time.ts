import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { GetServerData } from '../../../src/index.js';
import { POSTS } from '../posts.js';

/** Client-only in a static site: the browser renders it from props written at build time. */
@customElement('reading-time')
export class ReadingTime extends LitElement {
  @property({ attribute: false }) words = 0;

  override render() {
    return html`<p>${Math.max(1, Math.round(this.words / 200))} min read (${this.words} words)</p>`;
  }
}

export const getServerData: GetServerData = async ({ params }) => ({
  props: { words: (POSTS.find((p) => p.slug === params['slug'])?.body ?? '').split(/\s+/).length },
});
