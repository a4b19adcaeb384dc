import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { GetServerData } from '../../../src/index.js';

@customElement('product-detail')
export class ProductDetail extends LitElement {
  @property() name = '';

  override render() {
    return html`<h1>${this.name}</h1>`;
  }
}

const PRODUCTS: Record<string, string> = { '1': 'Teapot', '2': 'Kettle' };

/**
 * Every outcome a data hook can choose: a page, 404 (the 404 error route renders), a redirect,
 * another status with headers, or a failure (the 500 error route renders; the error is logged).
 */
export const getServerData: GetServerData = async ({ params }) => {
  const id = String(params['id']);
  if (id === 'old-teapot') return { redirect: { destination: '/products/1', permanent: true } };
  if (id === 'discontinued') return { status: 410, headers: { 'x-reason': 'discontinued' }, props: { name: 'No longer sold' } };
  if (id === 'broken') throw new Error('the inventory service is down');
  const name = PRODUCTS[id];
  if (name === undefined) return { notFound: true };
  return { props: { name } };
};
