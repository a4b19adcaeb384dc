import { atollError } from '../errors.js';
import type { DeadlineTimer, DeadlineTimers } from './deadline-timers.js';

/** The connection as the pipeline sees it: the client may leave before the response is sent. */
export interface Client {
  /** True once the client went away before the response was sent. */
  readonly gone: boolean;
  /** Calls `listener` once if the client goes away before the response is sent; the returned function stops listening. */
  onGone(listener: () => void): () => void;
}

/** A client that never leaves: static generation, `atoll check`, and renders shared by several visitors. */
export const STAYING_CLIENT: Client = Object.freeze({ gone: false, onGone: () => () => undefined });

/**
 * One per page render. It ends when SSR_TIMEOUT passes (reason: a DOMException named
 * "TimeoutError") or when the client goes away (reason: ATOLL_CLIENT_GONE), whichever comes first, and
 * `clear()` stops both watches once the page is done, so a finished page leaves no timer behind.
 *
 * Its AbortSignal is created only when something asks for it (a data hook reading
 * `context.signal`), and `race` needs no event listener: an AbortSignal costs about 3 µs to
 * create on Node 20 and each listener another 0.5 µs, which was 2% of an uncached page's CPU.
 */
export class PageDeadline {
  readonly ms: number;
  #ended = false;
  #reason: unknown = undefined;
  #controller: AbortController | undefined = undefined;
  #racers: ((reason: unknown) => void)[] = [];
  #holds = 0;
  #clearWanted = false;
  readonly #timer: DeadlineTimer;
  readonly #stopWatchingClient: () => void;

  /** `routeId` names the page in the client-gone reason; `timers` are the app's (one per deadline length). */
  constructor(ms: number, client: Client, routeId: string, timers: DeadlineTimers) {
    this.ms = ms;
    this.#timer = timers.start(ms, () => this.#end(new DOMException(`The page took longer than ${ms} ms`, 'TimeoutError')));
    const left = (): void => this.#end(atollError('ATOLL_CLIENT_GONE', [routeId], { routeId }));
    this.#stopWatchingClient = client.onGone(left);
    if (client.gone) left();
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** True when the page ended because SSR_TIMEOUT passed (not because the client left). */
  get timedOut(): boolean {
    return this.#reason instanceof DOMException && this.#reason.name === 'TimeoutError';
  }

  get reason(): unknown {
    return this.#reason;
  }

  /** Aborts (with `reason`) when the page ends. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#ended) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /**
   * Settles with `promise`, or rejects with `onEnd()` as soon as the page ends. A page that ends
   * after the promise settled rejects nothing.
   */
  race<T>(promise: Promise<T>, onEnd: () => unknown): Promise<T> {
    if (this.#ended) return Promise.reject(onEnd());
    return new Promise<T>((resolve, reject) => {
      const racer = (): void => reject(onEnd());
      this.#racers.push(racer);
      const done = (): void => {
        const i = this.#racers.indexOf(racer);
        if (i !== -1) this.#racers.splice(i, 1);
      };
      promise.then(
        (value) => {
          done();
          resolve(value);
        },
        (error: unknown) => {
          done();
          reject(error);
        },
      );
    });
  }

  /**
   * Stops both watches once the page is done; while a streamed response still holds the deadline
   * (deferred roots pending), they stop only when the last holder releases it.
   */
  clear(): void {
    this.#clearWanted = true;
    if (this.#holds === 0) this.#stop();
  }

  /** Keeps the deadline running past clear() until the returned function is called (once is enough). */
  hold(): () => void {
    this.#holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#holds--;
      if (this.#holds === 0 && this.#clearWanted) this.#stop();
    };
  }

  #stop(): void {
    this.#timer.cancel();
    this.#stopWatchingClient();
  }

  #end(reason: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
    const racers = this.#racers;
    this.#racers = [];
    for (const racer of racers) racer(reason);
  }
}
