import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { GetServerData } from '../../../src/index.js';

/** Rendered only in the browser (it uses Date and Intl at render time); its props still come from the server. */
@customElement('client-clock')
export class ClientClock extends LitElement {
  @property({ attribute: false }) zone = 'UTC';

  override render() {
    return html`<p>Time in ${this.zone}: ${new Intl.DateTimeFormat('en', { timeZone: this.zone, timeStyle: 'short' }).format(new Date())}</p>`;
  }
}

export const getServerData: GetServerData = async () => ({ props: { zone: 'Europe/Paris' } });
