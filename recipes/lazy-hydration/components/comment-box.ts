import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { GetServerData } from '../../../src/index.js';

/** Far below the fold: its code loads only when it comes within 100px of the viewport. */
@customElement('comment-box')
export class CommentBox extends LitElement {
  @property({ attribute: false }) comments: string[] = [];
  @property({ type: Number }) likes = 0;

  override render() {
    return html`<ul>${this.comments.map((c) => html`<li>${c}</li>`)}</ul>
      <button @click=${() => this.likes++}>Likes: ${this.likes}</button>`;
  }
}

export const getServerData: GetServerData = async () => ({ props: { comments: ['First!', 'Nice page.'], likes: 7 } });
