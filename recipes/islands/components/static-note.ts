import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';

@customElement('static-note')
export class StaticNote extends LitElement {
  @property() text = '';

  override render() {
    return html`<p>${this.text}</p>`;
  }
}
