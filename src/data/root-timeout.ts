/**
 * The bound of one root's getServerData (`timeout="800ms"`): a timer, an AbortSignal created only
 * when the hook reads it, and a race. Cleared as soon as the hook settles, so no timer outlives it.
 */
export class RootTimeout {
  readonly ms: number;
  #controller: AbortController | undefined = undefined;
  #expired = false;
  #onExpire: (() => void) | undefined = undefined;
  readonly #timer: NodeJS.Timeout;

  constructor(ms: number) {
    this.ms = ms;
    this.#timer = setTimeout(() => {
      this.#expired = true;
      this.#controller?.abort(new DOMException(`The root took longer than its timeout of ${ms} ms`, 'TimeoutError'));
      this.#onExpire?.();
    }, ms);
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#expired) this.#controller.abort(new DOMException(`The root took longer than its timeout of ${this.ms} ms`, 'TimeoutError'));
    }
    return this.#controller.signal;
  }

  /** Settles with `promise`, or rejects with `onTimeout()` when the timer fires first. One race per instance. */
  race<T>(promise: Promise<T>, onTimeout: () => unknown): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#onExpire = () => reject(onTimeout());
      promise.then(resolve, reject);
    });
  }

  clear(): void {
    clearTimeout(this.#timer);
  }
}
