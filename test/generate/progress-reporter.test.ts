import { expect, test } from 'vitest';
import { progressReporter } from '../../src/generate/progress-reporter.js';

const stream = (isTTY: boolean) => {
  const writes: string[] = [];
  return { writes, out: { isTTY, columns: 60, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream };
};

test('on a terminal: one redrawn line with done/total, elapsed and URL, cleared at the end', () => {
  const { writes, out } = stream(true);
  const progress = progressReporter(out);
  progress.page(1, 3, '/a');
  progress.page(2, 3, '/b'); // within 100 ms of the last draw: skipped
  progress.page(3, 3, '/c'); // the last page is always drawn
  progress.done();
  expect(writes).toHaveLength(3);
  expect(writes[0]).toMatch(/^\r\x1b\[K\[1\/3\] \d+\.\d s \/a$/);
  expect(writes[1]).toMatch(/^\r\x1b\[K\[3\/3\] \d+\.\d s \/c$/);
  expect(writes[2]).toBe('\r\x1b[K');
});

test('elsewhere (CI logs): nothing until the summary', () => {
  const { writes, out } = stream(false);
  const progress = progressReporter(out);
  progress.page(1, 1, '/a');
  progress.done();
  expect(writes).toEqual([]);
  expect(progress.elapsed()).toMatch(/^\d+\.\d s$/);
});
