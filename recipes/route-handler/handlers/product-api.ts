import type { RouteHandler } from '../../../src/index.js';
import { findTea } from '../data/teas.js';

/** GET /api/products/:id → the tea as JSON (public for a minute), or a JSON 404. */
export const GET: RouteHandler = ({ params }) => {
  const tea = findTea(params['id']);
  if (tea === undefined) return { status: 404, body: { error: 'no such tea' } };
  return { body: tea, headers: { 'cache-control': 'public, max-age=60' } };
};
