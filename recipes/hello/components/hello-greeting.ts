import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';

/** A static root: rendered on the server from its template attribute, no JavaScript shipped. */
@customElement('hello-greeting')
export class HelloGreeting extends LitElement {
  static override styles = css`p { font: 1.5rem system-ui; }`;

  @property() name = 'nobody';

  override render() {
    return html`<p>Hello, ${this.name}!</p>`;
  }
}
