import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { GetServerData } from '../../../src/index.js';

/** Shows what getServerData receives: decoded params (a wildcard is an array) and the query (repeated keys are arrays). */
@customElement('request-echo')
export class RequestEcho extends LitElement {
  @property() section = '';
  @property({ attribute: false }) page: string[] = [];
  @property({ attribute: false }) tags: string[] = [];
  @property() q = '';

  override render() {
    return html`<h1>${this.section}</h1>
      <p>Page: ${this.page.join(' / ') || '(index)'}</p>
      <p>Search: ${this.q}</p>
      <ul>${this.tags.map((t) => html`<li>${t}</li>`)}</ul>`;
  }
}

export const getServerData: GetServerData = async ({ params, query }) => {
  // Params and query are untrusted strings: validate them before use.
  const tags = query['tag'] === undefined ? [] : ([] as string[]).concat(query['tag']);
  const q = typeof query['q'] === 'string' ? query['q'] : '';
  return {
    props: { section: String(params['section']), page: (params['page'] as string[] | undefined) ?? [], tags, q },
  };
};
