import books from './books.json' with { type: 'json' };

export interface Book {
  isbn: string;
  title: string;
  year: number;
}

/**
 * The recipe's data source, standing in for a database or an HTTP API: asynchronous, a little
 * slow, and it honours the abort signal that Atoll passes to getServerData.
 */
export function fetchBooks(limit: number, signal: AbortSignal): Promise<Book[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve((books as Book[]).slice(0, limit)), 5);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
