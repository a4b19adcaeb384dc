import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';

/** An island that asks the JSON endpoint /api/quote for a price, with fetch. */
@customElement('price-quote')
export class PriceQuote extends LitElement {
  /**
   * Rendered as `nothing` while empty: a text binding hydrated from an empty string has no text
   * node between its markers, and Lit then writes the first later string into the end marker.
   */
  @state() private answer = '';

  override render() {
    return html`<form @submit=${this.ask}>
        <select name="id"><option value="sencha">Sencha</option><option value="assam">Assam</option></select>
        <input name="qty" type="number" value="1" min="1" max="100">
        <button>Get a quote</button>
      </form>
      <p class="answer" aria-live="polite">${this.answer || nothing}</p>`;
  }

  private async ask(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const fields = new FormData(event.target as HTMLFormElement);
    const response = await fetch('api/quote', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: fields.get('id'), qty: Number(fields.get('qty')) }),
    });
    const result = (await response.json()) as { total?: string; errors?: string[] };
    this.answer = result.total ?? (result.errors ?? []).join('; ');
  }
}
