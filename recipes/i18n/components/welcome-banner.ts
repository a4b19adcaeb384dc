import { LitElement, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { msg } from '@lit/localize';
import type { GetServerData } from '../../../src/index.js';

/** A static root: a translated html template on the server, and a translated page title from its data hook. */
@customElement('welcome-banner')
export class WelcomeBanner extends LitElement {
  override render() {
    return html`<h1>${msg(html`Welcome to <b>Atoll</b>, rendered on the server in your language.`)}</h1>`;
  }
}

export const getServerData: GetServerData = () => ({ markup: { title: msg('Atoll in two languages') } });
