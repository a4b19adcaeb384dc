import type { RouteHandler } from '../../../src/index.js';
import { findTea, price } from '../data/teas.js';

/**
 * GET /products/:id → the product view with the tea's values (viewParams replace the route's
 * properties, escaped like them), or the missing view with 404. `?format=json` answers the same
 * URL with the tea as JSON instead of a page.
 */
export const GET: RouteHandler = ({ params, query }) => {
  const tea = findTea(params['id']);
  if (query['format'] === 'json') return tea === undefined ? { status: 404, body: { error: 'no such tea' } } : { body: tea };
  if (tea === undefined) return { view: { contentTemplate: 'templates/missing.html' }, viewParams: { title: 'No such tea' }, status: 404 };
  return {
    view: { contentTemplate: 'templates/product.html' },
    viewParams: { title: `${tea.name} tea`, name: tea.name, price: price(tea.cents) },
    cache: { ttl: '5 minutes' },
  };
};
