/** The demo's in-repo data source: a deterministic catalog behind an async API, like a database. */
export interface Product {
  id: string;
  name: string;
  price: number;
  category: string;
}

const CATEGORIES = ['books', 'music', 'games'] as const;

const PRODUCTS: readonly Product[] = CATEGORIES.flatMap((category, c) =>
  Array.from({ length: 12 }, (_, i) => ({
    id: `${category}-${i + 1}`,
    name: `${category[0]!.toUpperCase()}${category.slice(1, -1)} #${i + 1}`,
    price: Math.round((5 + ((i * 7 + c * 3) % 40) + 0.99) * 100) / 100,
    category,
  })),
);

export async function listCategories(): Promise<readonly string[]> {
  return CATEGORIES;
}

export async function listProducts(category: string): Promise<readonly Product[] | undefined> {
  if (!(CATEGORIES as readonly string[]).includes(category)) return undefined;
  return PRODUCTS.filter((p) => p.category === category);
}

export async function findProduct(id: string): Promise<Product | undefined> {
  return PRODUCTS.find((p) => p.id === id);
}
