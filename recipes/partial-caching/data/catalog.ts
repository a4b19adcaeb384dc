/** The recipe's data source: a slow catalog service (here in-process, 12 products). */
export interface Product {
  id: number;
  name: string;
  price: number;
}

const NAMES = ['Lamp', 'Chair', 'Kettle', 'Notebook', 'Mug', 'Desk', 'Jacket', 'Backpack', 'Blender', 'Headphones', 'Clock', 'Vase'];

export async function loadCatalog(signal: AbortSignal): Promise<Product[]> {
  await new Promise((resolve) => setTimeout(resolve, 20));
  signal.throwIfAborted();
  return NAMES.map((name, i) => ({ id: i + 1, name, price: 9.5 + i * 3 }));
}
