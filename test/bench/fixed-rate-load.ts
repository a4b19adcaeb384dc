/**
 * Open-loop load at a fixed rate (not a test; the server bench runs it as its own process on
 * CPU 1): `node --import tsx test/bench/fixed-rate-load.ts <url> <requests/s> <seconds> <connections> [warm-up seconds]`
 * prints one JSON line: { sent, completed, errors, non2xx, p50, p90, p99, p999, max } in ms.
 * The warm-up runs the same load first and is not counted: a fresh load generator's own JIT and
 * heap growth delay the requests of its first second or so against any server (slow requests
 * cluster there for bare Lit SSR as for Atoll), which is the client's time, not the server's.
 *
 * Request i is due at start + i / rate whether or not earlier responses came back, and its
 * latency is counted from that due time, not from when a socket took it: a server that stalls
 * is charged for every request that waited behind the stall (no coordinated omission, as wrk2
 * measures). wrk's closed loop measures something else: at saturation its p99 is the length of
 * the server's queue, which moves with the event loop's scheduling between bursts. autocannon
 * (already a dev dependency) has a fixed-rate mode, but it times each request from when it was
 * sent, so a stall hides the requests that waited behind it.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface FixedRateResult {
  readonly sent: number;
  readonly completed: number;
  readonly errors: number;
  readonly non2xx: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

/** Sends `rate` requests per second for `seconds` over at most `connections` keep-alive sockets. */
export function fixedRateLoad(url: string, rate: number, seconds: number, connections: number): Promise<FixedRateResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const total = Math.round(rate * seconds);
  const latencies = new Float64Array(total);
  let sent = 0;
  let settled = 0;
  let errors = 0;
  let non2xx = 0;
  const start = performance.now();
  return new Promise((resolve) => {
    const finish = () => {
      if (settled < total) return;
      agent.destroy();
      const done = latencies.slice(0, sent).sort();
      const at = (q: number) => done[Math.min(done.length - 1, Math.floor(q * done.length))] ?? Number.NaN;
      resolve({ sent, completed: total - errors, errors, non2xx, p50: at(0.5), p90: at(0.9), p99: at(0.99), p999: at(0.999), max: done.at(-1) ?? Number.NaN });
    };
    const send = (i: number) => {
      const due = start + (i * 1000) / rate;
      const req = request(url, { agent }, (res) => {
        if (res.statusCode === undefined || res.statusCode < 200 || res.statusCode >= 300) non2xx++;
        res.on('data', () => {});
        res.on('end', () => {
          latencies[i] = performance.now() - due;
          settled++;
          finish();
        });
      });
      req.on('error', () => {
        latencies[i] = performance.now() - due;
        errors++;
        settled++;
        finish();
      });
      req.end();
    };
    // Every millisecond, send whatever has come due (timers are not exact; due times are).
    const tick = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      while (sent < due) send(sent++);
      if (sent === total) clearInterval(tick);
    }, 1);
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [url, rate, seconds, connections, warmUp = '0'] = process.argv.slice(2);
  if (url === undefined || rate === undefined || seconds === undefined || connections === undefined) {
    throw new Error('usage: fixed-rate-load.ts <url> <requests/s> <seconds> <connections> [warm-up seconds]');
  }
  if (Number(warmUp) > 0) await fixedRateLoad(url, Number(rate), Number(warmUp), Number(connections));
  console.log(JSON.stringify(await fixedRateLoad(url, Number(rate), Number(seconds), Number(connections))));
}
