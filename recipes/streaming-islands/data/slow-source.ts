/**
 * The recipe's data sources, standing in for services of very different speeds: each answers
 * after `ms` milliseconds and honours the abort signal Atoll passes to getServerData (a root's
 * `timeout` or the page's `ssrTimeout` aborts it). `?latency=<ms>` on the page URL overrides the
 * delay, so the recipe's test runs without waiting.
 */
export function slowSource<T>(value: T, ms: number, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(value), ms);
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

/** The delay for this request: `?latency=` when it is a number of ms, else `fallback`. */
export function latency(query: Readonly<Record<string, string | readonly string[]>>, fallback: number): number {
  const value = Number(query['latency']);
  return typeof query['latency'] === 'string' && Number.isFinite(value) && value >= 0 ? value : fallback;
}
