import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';

/** Hydrates when the browser is idle: a low-priority widget. */
@customElement('idle-widget')
export class IdleWidget extends LitElement {
  @property({ type: Boolean, reflect: true }) ready = false;

  override connectedCallback() {
    super.connectedCallback();
    this.ready = true;
  }

  override render() {
    return html`<p>Idle widget</p>`;
  }
}
