/** The longest delay setTimeout takes as given (a signed 32-bit count of milliseconds). */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** A page's place in its queue: `cancel()` takes it out (its expiry then never runs). */
export interface DeadlineTimer {
  cancel(): void;
}

interface Entry extends DeadlineTimer {
  readonly due: number;
  readonly onExpire: () => void;
  previous: Entry | undefined;
  next: Entry | undefined;
  queued: boolean;
}

/** The deadlines of one length, oldest first: later ones are due later, so only the head is timed. */
interface Queue {
  head: Entry | undefined;
  tail: Entry | undefined;
  /** Armed for the head's due time or earlier (a head that left makes it fire early, and re-arm). */
  timer: NodeJS.Timeout | undefined;
}

/**
 * The timers of every page deadline of one app: one Node timer per deadline length (the routes'
 * ssrTimeout values) instead of a setTimeout and a clearTimeout per page. Pages of one length are
 * due in the order they started, so each length is a queue in which only the head needs a timer;
 * a page that finishes leaves the queue in O(1). Under load the queue is never empty and its
 * timer fires about once per deadline length; an empty queue clears its timer, so a server that
 * is shutting down does not wait for a deadline nobody has. Expiry is on time, as setTimeout's is.
 */
export class DeadlineTimers {
  readonly #queues = new Map<number, Queue>();
  readonly #now: () => number;

  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  /** How many Node timers this holds: one per deadline length with pages in its queue, else none. */
  get armed(): number {
    let count = 0;
    for (const queue of this.#queues.values()) if (queue.timer !== undefined) count++;
    return count;
  }

  /** Runs `onExpire` once, `ms` from now, unless the returned timer is cancelled first. */
  start(ms: number, onExpire: () => void): DeadlineTimer {
    let queue = this.#queues.get(ms);
    if (queue === undefined) {
      queue = { head: undefined, tail: undefined, timer: undefined };
      this.#queues.set(ms, queue);
    }
    const entry: Entry = {
      due: this.#now() + ms,
      onExpire,
      previous: queue.tail,
      next: undefined,
      queued: true,
      cancel: () => this.#remove(queue, entry),
    };
    if (queue.tail === undefined) queue.head = entry;
    else queue.tail.next = entry;
    queue.tail = entry;
    // A queue that had pages has its timer (or is expiring them now, and re-arms after).
    if (queue.head === entry) this.#arm(queue, ms);
    return entry;
  }

  #remove(queue: Queue, entry: Entry): void {
    if (!entry.queued) return;
    entry.queued = false;
    if (entry.previous === undefined) queue.head = entry.next;
    else entry.previous.next = entry.next;
    if (entry.next === undefined) queue.tail = entry.previous;
    else entry.next.previous = entry.previous;
    entry.previous = entry.next = undefined;
    if (queue.head === undefined && queue.timer !== undefined) {
      clearTimeout(queue.timer);
      queue.timer = undefined;
    }
  }

  /**
   * Node runs a setTimeout longer than 2^31 - 1 ms after 1 ms (with a warning), which for a head
   * not yet due would re-arm every millisecond; a longer deadline is timed in steps of that.
   */
  #arm(queue: Queue, delay: number): void {
    queue.timer = setTimeout(() => this.#fire(queue), Math.min(delay, MAX_TIMEOUT_MS));
  }

  /** Expires every head that is due, then times the next one. */
  #fire(queue: Queue): void {
    queue.timer = undefined;
    const now = this.#now();
    try {
      for (let head = queue.head; head !== undefined && head.due <= now; head = queue.head) {
        this.#remove(queue, head);
        head.onExpire();
      }
    } finally {
      // An expiry may have started pages of this length (which armed the timer if it had emptied).
      if (queue.head !== undefined && queue.timer === undefined) this.#arm(queue, Math.max(0, queue.head.due - now));
    }
  }
}
