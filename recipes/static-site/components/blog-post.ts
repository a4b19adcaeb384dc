import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { GetServerData, GetStaticPaths } from '../../../src/index.js';
import { POSTS } from '../posts.js';

@customElement('blog-post')
export class BlogPost extends LitElement {
  @property() heading = '';
  @property() body = '';

  override render() {
    return html`<article><h1>${this.heading}</h1><p>${this.body}</p></article>`;
  }
}

/** `npm run generate` prerenders /posts/:slug once for each of these params. */
export const getStaticPaths: GetStaticPaths = () => POSTS.map((p) => ({ slug: p.slug }));

export const getServerData: GetServerData = async ({ params }) => {
  const post = POSTS.find((p) => p.slug === params['slug']);
  if (post === undefined) return { notFound: true };
  return { props: { heading: post.title, body: post.body }, markup: { title: post.title } };
};
