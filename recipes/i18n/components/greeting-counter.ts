import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { msg, str } from '@lit/localize';

/**
 * An island whose text comes from msg(): the server renders it in the page's locale, and the
 * browser hydrates it in the same locale (Atoll loads the locale's messages first), so each
 * click updates the count in that language.
 */
@customElement('greeting-counter')
export class GreetingCounter extends LitElement {
  @property({ type: Number }) count = 0;

  override render() {
    return html`<p>${msg(str`Clicked ${this.count} times`)}</p><button @click=${() => this.count++}>${msg('Add one')}</button>`;
  }
}
