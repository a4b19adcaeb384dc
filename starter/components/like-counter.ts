import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { GetServerData } from 'atoll';

/**
 * An island: the template marks it `hydrate`, so the server renders it with the count from
 * getServerData, and the browser loads this module and makes the button work.
 */
@customElement('like-counter')
export class LikeCounter extends LitElement {
  static override styles = css`button { font: inherit; padding: 0.25rem 0.75rem; }`;

  @property({ type: Number }) likes = 0;

  override render() {
    return html`<button @click=${() => this.likes++}>👍 ${this.likes}</button>`;
  }
}

/** Island props travel to the browser as JSON, so they must be JSON values. */
export const getServerData: GetServerData = async () => ({
  props: { likes: 41 },
});
