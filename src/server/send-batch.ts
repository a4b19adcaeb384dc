/**
 * The end of the event loop's current turn, for whole pages to be sent together. Node reads
 * every socket that became readable in one poll of the event loop and runs each request's
 * handler in turn; a page sent as soon as it is ready wakes its client at once, so a client on
 * the same machine (a reverse proxy, a sidecar, a load generator) is woken once per response,
 * each time with a cross-CPU interrupt. Pages finished in one turn are instead written one after
 * another once the turn's I/O callbacks have run (in setImmediate), and the client wakes once
 * for all of them: on this VM, 0.11 function-call interrupts per response instead of 0.96
 * (/proc/interrupts under wrk), 1.6x the personal page's requests/s (BENCHMARKS.md).
 * A page waits at most for the other pages of its turn; when one request is in flight, for no
 * other work at all. A page that finishes in the check phase itself (a render that yielded with
 * setImmediate, as on routes whose last page had 64 K characters or more: pipeline.ts) is sent at
 * the end of the next turn, after that turn's reads and renders: one turn more, never longer.
 */
export class SendBatch {
  #turn: Promise<void> | undefined = undefined;

  /** Resolves once the I/O callbacks of the current turn have run. */
  wait(): Promise<void> {
    this.#turn ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        this.#turn = undefined;
        resolve();
      }),
    );
    return this.#turn;
  }
}
