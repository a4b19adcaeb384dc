/** The recipe's data source: a fixed list, looked up by id. */

export interface Tea {
  readonly id: string;
  readonly name: string;
  /** In cents, so that totals stay exact. */
  readonly cents: number;
}

const TEAS: readonly Tea[] = [
  { id: 'sencha', name: 'Sencha', cents: 850 },
  { id: 'assam', name: 'Assam', cents: 620 },
];

export function findTea(id: unknown): Tea | undefined {
  return TEAS.find((tea) => tea.id === id);
}

export function price(cents: number): string {
  return `$${(cents / 100).toFixed(2)}`;
}
