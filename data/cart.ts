/**
 * The demo's cart lives in one cookie, `cart`: "books-1:2,music-3:1" (product id : quantity).
 * Not HttpOnly, so the header's cart count can read it in the browser on cached pages. Anything
 * a visitor may have edited is parsed defensively: unknown shapes are dropped, sizes are bounded.
 */
export const CART_COOKIE = 'cart';
const MAX_LINES = 20;
const MAX_QUANTITY = 99;
const LINE = /^([a-z0-9-]{1,40}):([0-9]{1,2})$/;

export type Cart = ReadonlyMap<string, number>;

export function parseCart(value: string | undefined): Cart {
  const cart = new Map<string, number>();
  // With COOKIE_SECRET the server sees the value already verified; in the browser a signature
  // may follow the first "." (ids never hold one).
  for (const line of (value ?? '').split('.')[0]!.split(',').slice(0, MAX_LINES)) {
    const match = LINE.exec(line);
    if (match !== null && Number(match[2]) > 0) cart.set(match[1]!, Math.min(Number(match[2]), MAX_QUANTITY));
  }
  return cart;
}

export function serializeCart(cart: Cart): string {
  return [...cart].map(([id, quantity]) => `${id}:${quantity}`).join(',');
}

export function withItem(cart: Cart, id: string, delta: number): Cart {
  const next = new Map(cart);
  const quantity = Math.min((next.get(id) ?? 0) + delta, MAX_QUANTITY);
  if (quantity > 0) next.set(id, quantity);
  else next.delete(id);
  if (next.size > MAX_LINES) next.delete(id);
  return next;
}

export function countItems(cart: Cart): number {
  let count = 0;
  for (const quantity of cart.values()) count += quantity;
  return count;
}
