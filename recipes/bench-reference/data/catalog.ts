/**
 * The reference page's data: N products with a name, a price and an 80-character description,
 * deterministic, produced in-process (the benchmark measures the server, not a database).
 */
export interface Product {
  id: number;
  name: string;
  price: number;
  description: string;
}

const KINDS = ['Sturdy', 'Elegant', 'Compact', 'Rugged', 'Lightweight', 'Classic', 'Modern', 'Premium', 'Handy', 'Durable'];
const ITEMS = ['lamp', 'chair', 'backpack', 'kettle', 'notebook', 'headphones', 'jacket', 'mug', 'desk', 'blender'];
const MATERIALS = ['recycled aluminium', 'solid oak wood', 'organic cotton', 'brushed stainless steel', 'bamboo fibre'];

function build(count: number): Product[] {
  return Array.from({ length: count }, (_, i) => {
    const kind = KINDS[i % KINDS.length]!;
    const item = ITEMS[(i * 7) % ITEMS.length]!;
    const text = `${kind} ${item} made of ${MATERIALS[i % MATERIALS.length]}, designed for everyday use and built to last.`;
    return {
      id: i + 1,
      name: `${kind} ${item[0]!.toUpperCase()}${item.slice(1)} ${i + 1}`,
      price: Math.round((((i + 1) * 1733) % 10000) + 499) / 100,
      description: text.length > 80 ? `${text.slice(0, 77)}...` : text.padEnd(80, ' '),
    };
  });
}

const byCount = new Map<number, Product[]>();

/** Like a data source: asynchronous, optionally slow. */
export async function fetchProducts(count: number, delayMs: number): Promise<Product[]> {
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  else await Promise.resolve();
  let products = byCount.get(count);
  if (products === undefined) {
    products = build(count);
    byCount.set(count, products);
  }
  return products;
}
