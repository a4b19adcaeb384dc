/**
 * Progress of `npm run generate`: on a terminal one line redrawn at most ten times a second
 * (pages done / total, elapsed, current URL); elsewhere (CI logs) nothing until the summary.
 */
export function progressReporter(out: NodeJS.WriteStream) {
  const started = performance.now();
  // performance.now() counts from the process start: 0 would skip a first page drawn within 100 ms of it.
  let drawn = Number.NEGATIVE_INFINITY;
  const elapsed = (): string => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  return {
    page(done: number, total: number, url: string): void {
      if (!out.isTTY) return;
      const now = performance.now();
      if (now - drawn < 100 && done !== total) return;
      drawn = now;
      const line = `[${done}/${total}] ${elapsed()} ${url}`;
      out.write(`\r\x1b[K${line.slice(0, Math.max(20, (out.columns ?? 80) - 1))}`);
    },
    done(): void {
      if (out.isTTY) out.write('\r\x1b[K');
    },
    elapsed,
  };
}
