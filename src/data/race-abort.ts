/**
 * Settles with `promise`, or rejects with `onAbort()` as soon as `signal` aborts. The abort
 * listener is removed when the promise settles first, so a later abort (a client leaving after
 * the response) rejects nothing.
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal, onAbort: () => unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => reject(onAbort());
    if (signal.aborted) {
      abort();
      return;
    }
    signal.addEventListener('abort', abort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(error);
      },
    );
  });
}
