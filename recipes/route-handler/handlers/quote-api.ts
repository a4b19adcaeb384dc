import type { RouteHandler } from '../../../src/index.js';
import { findTea, price } from '../data/teas.js';

/**
 * POST /api/quote with JSON { id, qty } → { id, qty, total }; bad input is a 422 listing what is
 * wrong, never a 500. The body is whatever the client sent: check every field.
 */
export const POST: RouteHandler = ({ body }) => {
  const input = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const tea = findTea(input['id']);
  const qty = input['qty'];
  const errors: string[] = [];
  if (tea === undefined) errors.push('id: not one of our teas');
  if (typeof qty !== 'number' || !Number.isInteger(qty) || qty < 1 || qty > 100) errors.push('qty: a whole number from 1 to 100');
  if (tea === undefined || errors.length > 0) return { status: 422, body: { errors } };
  return { body: { id: tea.id, qty, total: price(tea.cents * (qty as number)) } };
};
