import { LitElement, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
// Web Awesome renders on the server: its components get declarative shadow roots in the HTML,
// and hydrate with this island. Its theme CSS is served from the package (app.config.json assets).
import '@awesome.me/webawesome/dist/components/card/card.js';
import '@awesome.me/webawesome/dist/components/input/input.js';
import '@awesome.me/webawesome/dist/components/checkbox/checkbox.js';
import '@awesome.me/webawesome/dist/components/button/button.js';

@customElement('signup-card')
export class SignupCard extends LitElement {
  @property() heading = '';
  @state() private joined = '';

  override render() {
    return html`<wa-card>
      <h2 slot="header">${this.heading}</h2>
      <wa-input id="email" label="Email" type="email"></wa-input>
      <wa-checkbox id="weekly">Weekly digest</wa-checkbox>
      <wa-button id="join" variant="brand" @click=${this.join}>Sign up</wa-button>
      <p role="status">${this.joined}</p>
    </wa-card>`;
  }

  private join(): void {
    const email = this.renderRoot.querySelector<HTMLInputElement>('#email')!.value;
    const weekly = this.renderRoot.querySelector<HTMLInputElement>('#weekly')!.checked;
    this.joined = `Welcome, ${email}${weekly ? ' (weekly)' : ''}`;
  }
}
