import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { GetServerData } from '../../../src/index.js';

/**
 * Never rendered on the server: the browser renders it with its template attribute (greeting)
 * and the props from getServerData (name, visits). Until then its light-DOM placeholder shows.
 * On the "/spa" route (bootstrap.ssr false) every root behaves like this.
 */
@customElement('user-greeting')
export class UserGreeting extends LitElement {
  @property() greeting = 'Hello';
  @property({ attribute: false }) name = '';
  @property({ attribute: false }) visits = 0;

  override render() {
    return html`<p>${this.greeting}, ${this.name}! Visit number ${this.visits}.</p>`;
  }
}

export const getServerData: GetServerData = async () => ({ props: { name: 'Ada', visits: 3 } });
