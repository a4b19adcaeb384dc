/** Messages between the supervisor and a worker. */
export type WorkerMessage =
  | { type: 'atoll:ready'; address: string }
  | { type: 'atoll:shutdown' }
  /** A crashed worker asks for its replacement before it stops accepting connections. */
  | { type: 'atoll:draining' }
  /** The replacement listens: the crashed worker may close now. */
  | { type: 'atoll:replaced' };
