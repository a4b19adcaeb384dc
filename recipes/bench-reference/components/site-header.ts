import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';

@customElement('site-header')
export class SiteHeader extends LitElement {
  static override styles = css`
    :host { display: block; background: #232f3e; color: #fff; padding: 12px 16px; }
    h1 { margin: 0; font: 600 1.25rem system-ui, sans-serif; }
  `;

  @property() override title = '';

  override render() {
    return html`<header><h1>${this.title}</h1></header>`;
  }
}
