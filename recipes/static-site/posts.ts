/** The blog's content, shared by the components. */
export interface Post {
  slug: string;
  title: string;
  tags: string[];
  body: string;
}

export const POSTS: readonly Post[] = [
  { slug: 'hello-islands', title: 'Hello, islands', tags: ['lit', 'ssr'], body: 'Islands ship JavaScript only where a page needs it.' },
  { slug: 'static-and-fast', title: 'Static and fast', tags: ['ssr'], body: 'A prerendered page is a file: any static host serves it.' },
  { slug: 'lit-everywhere', title: 'Lit everywhere', tags: ['lit'], body: 'The same components render on the server, at build time and in the browser.' },
];
