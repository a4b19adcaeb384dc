import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { FormAction, GetServerData } from '../../../src/index.js';
import { signupErrors, signupValues, type SignupErrors, type SignupValues } from '../data/signup-rules.js';

/**
 * A plain form posting to the `signup` action. With JavaScript off the browser posts it: errors
 * come back in the page (422) with the values kept, success redirects (303) to /welcome.
 * Hydrated, the island posts the same action with fetch and Accept: application/json, shows the
 * errors in place, and follows the redirect itself.
 */
@customElement('signup-form')
export class SignupForm extends LitElement {
  static override styles = css`
    form { display: grid; gap: 0.75rem; max-width: 22rem; }
    label { display: grid; gap: 0.25rem; }
    .error { color: #a11; margin: 0; }
  `;

  @property({ attribute: false }) values: SignupValues = { name: '', email: '' };
  @property({ attribute: false }) errors: SignupErrors = {};

  override render() {
    return html`<form method="post" action="?/signup" novalidate @submit=${this.submit}>
      <label>Name <input name="name" .value=${this.values.name} aria-invalid=${this.errors.name === undefined ? 'false' : 'true'}></label>
      ${this.errors.name === undefined ? '' : html`<p class="error" id="name-error">${this.errors.name}</p>`}
      <label>Email <input name="email" type="email" .value=${this.values.email} aria-invalid=${this.errors.email === undefined ? 'false' : 'true'}></label>
      ${this.errors.email === undefined ? '' : html`<p class="error" id="email-error">${this.errors.email}</p>`}
      <button>Sign up</button>
    </form>`;
  }

  /** Only in the browser (hydrated): the same action in JSON mode. */
  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const response = await fetch(`${location.pathname}?/signup`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(new FormData(form) as unknown as Record<string, string>),
    });
    const result = (await response.json()) as { ok: boolean; redirect?: string; data?: { values: SignupValues; errors: SignupErrors } };
    if (result.redirect !== undefined) location.assign(result.redirect);
    else if (result.data !== undefined) [this.values, this.errors] = [result.data.values, result.data.errors];
    else form.submit(); // anything unexpected: let the browser post it
  }
}

/** After a refused post, the action's data: the values to keep and the errors to show. */
export const getServerData: GetServerData = ({ actionResult }) => {
  const data = actionResult?.data as { values: SignupValues; errors: SignupErrors } | undefined;
  return data === undefined ? {} : { props: { values: data.values, errors: data.errors } };
};

export const actions: Record<string, FormAction> = {
  signup: ({ form }) => {
    const values = signupValues(form);
    const errors = signupErrors(values);
    if (Object.keys(errors).length > 0) return { status: 422, data: { values, errors } };
    return { redirect: `/welcome?name=${encodeURIComponent(values.name)}` };
  },
};
