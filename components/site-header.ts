import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';

/** A static root in the layout: rendered on the server, ships no JavaScript. */
@customElement('site-header')
export class SiteHeader extends LitElement {
  static override styles = css`
    header { display: flex; gap: 1rem; align-items: center; padding: 0.75rem 1rem; background: #123; color: #fff; }
    a { color: inherit; }
  `;

  @property() heading = '';

  override render() {
    return html`<header><a href="/">${this.heading}</a><nav><slot></slot></nav></header>`;
  }
}
