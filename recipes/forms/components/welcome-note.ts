import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { GetServerData } from '../../../src/index.js';

/** The page after the redirect: a GET like any other, so a reload does not post again. */
@customElement('welcome-note')
export class WelcomeNote extends LitElement {
  @property() name = '';

  override render() {
    return html`<h1>Welcome, ${this.name}!</h1>
      <p><a href="./">Back to the form</a></p>`;
  }
}

export const getServerData: GetServerData = ({ query }) => ({ props: { name: typeof query['name'] === 'string' ? query['name'] : 'friend' } });
