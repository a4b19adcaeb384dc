/** The part of autocannon's API the load benchmark uses (the package ships no types). */
declare module 'autocannon' {
  interface Result {
    requests: { total: number; average: number };
    latency: { p50: number; p99: number };
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
  }
  interface Options {
    url: string;
    connections: number;
    duration: number;
    timeout?: number;
    /** Cycled through by every connection. */
    requests?: { path: string }[];
  }
  function autocannon(options: Options): Promise<Result> & { on(event: 'reqError', listener: (error: NodeJS.ErrnoException) => void): void };
  export default autocannon;
}
