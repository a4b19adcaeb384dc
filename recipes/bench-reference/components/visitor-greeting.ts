import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { GetServerData } from '../../../src/index.js';

@customElement('visitor-greeting')
export class VisitorGreeting extends LitElement {
  @property() name = '';

  override render() {
    return html`<p>Welcome back, ${this.name}</p>`;
  }
}

/** The personal root of the "personal page": it reads a cookie, so that page is never in the page cache. */
export const getServerData: GetServerData = ({ cookies }) => ({ props: { name: cookies['name'] ?? 'guest' } });
