import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { GetServerData } from '../../../src/index.js';

@customElement('article-page')
export class ArticlePage extends LitElement {
  @property() heading = '';

  override render() {
    return html`<h1>${this.heading}</h1>`;
  }
}

/** Every kind of head markup; the slug comes from the URL, so it is escaped wherever it lands. */
export const getServerData: GetServerData = async ({ params }) => {
  const slug = String(params['slug']);
  const heading = `Article: ${slug}`;
  return {
    props: { heading },
    markup: {
      title: heading,
      meta: [
        { name: 'description', content: `All about ${slug}` },
        { property: 'og:title', content: heading },
      ],
      links: [{ rel: 'canonical', href: `https://example.com/articles/${encodeURIComponent(slug)}` }],
      scripts: [{ body: { '@context': 'https://schema.org', '@type': 'Article', headline: heading } }],
      styles: [{ id: 'article-theme', body: 'h1 { color: rebeccapurple; }' }],
    },
  };
};
