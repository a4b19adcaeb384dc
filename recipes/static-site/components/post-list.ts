import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { GetServerData } from '../../../src/index.js';
import { POSTS, type Post } from '../posts.js';

@customElement('post-list')
export class PostList extends LitElement {
  @property() heading = '';
  @property({ attribute: false }) posts: Post[] = [];

  override render() {
    return html`<h2>${this.heading}</h2>
      <ul>${this.posts.map((p) => html`<li><a href="/posts/${p.slug}">${p.title}</a></li>`)}</ul>`;
  }
}

/** On "/" all posts; on "/tags/:tag" (listed in staticSite.paths) the posts with that tag. */
export const getServerData: GetServerData = async ({ params }) => {
  const tag = typeof params['tag'] === 'string' ? params['tag'] : undefined;
  const posts = tag === undefined ? [...POSTS] : POSTS.filter((p) => p.tags.includes(tag));
  if (posts.length === 0) return { notFound: true };
  return { props: { heading: tag === undefined ? 'All posts' : `Tagged ${tag}`, posts } };
};
