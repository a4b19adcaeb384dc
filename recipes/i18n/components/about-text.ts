import { LitElement, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { msg } from '@lit/localize';
import type { GetServerData } from '../../../src/index.js';

@customElement('about-text')
export class AboutText extends LitElement {
  override render() {
    return html`<p>${msg('The same routes answer under /fr, with French messages.')}</p>`;
  }
}

export const getServerData: GetServerData = () => ({ markup: { title: msg('About this recipe') } });
