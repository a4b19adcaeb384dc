import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { GetServerData } from '../../../src/index.js';
import { fetchBooks, type Book } from '../data/book-source.js';

@customElement('book-list')
export class BookList extends LitElement {
  @property({ attribute: false }) books: Book[] = [];

  override render() {
    return html`<ul>${this.books.map((b) => html`<li>${b.title} (${b.year})</li>`)}</ul>`;
  }
}

/** Runs on the server for every request; `props.limit` is the template attribute `limit="3"`. */
export const getServerData: GetServerData = async ({ props, signal }) => {
  const books = await fetchBooks(Number(props['limit'] ?? 10), signal);
  return {
    props: { books },
    markup: {
      title: `${books.length} classic books`,
      meta: [{ name: 'description', content: books.map((b) => b.title).join(', ') }],
    },
  };
};
