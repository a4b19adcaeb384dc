import { expect, test } from 'vitest';
import { DeadlineTimers } from '../../src/data/deadline-timers.js';

/**
 * Page deadlines share one Node timer per length (src/data/deadline-timers.ts). These run real
 * timers of a few tens of milliseconds: each deadline must expire, not before its time, once;
 * a cancelled one never; and a queue with nothing left holds no timer.
 */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const timeouts = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

test('each deadline expires once, not before its time, and a cancelled one never', async () => {
  const timers = new DeadlineTimers();
  const expired: { name: string; after: number }[] = [];
  const start = performance.now();
  const at = (name: string) => () => expired.push({ name, after: performance.now() - start });
  timers.start(40, at('a'));
  const b = timers.start(40, at('b'));
  await sleep(15);
  timers.start(40, at('c'));
  timers.start(15, at('short'));
  b.cancel();
  b.cancel();
  await sleep(120);
  expect(expired.map((e) => e.name)).toEqual(['short', 'a', 'c']);
  // Timer ticks are whole milliseconds: "not before" allows that much.
  expect(expired[0]!.after).toBeGreaterThanOrEqual(15 + 15 - 1);
  expect(expired[1]!.after).toBeGreaterThanOrEqual(40 - 1);
  expect(expired[2]!.after).toBeGreaterThanOrEqual(15 + 40 - 1);
});

test('when the head leaves, the deadlines behind it still expire on time', async () => {
  const timers = new DeadlineTimers();
  const expired: string[] = [];
  const first = timers.start(30, () => expired.push('first'));
  await sleep(10);
  const start = performance.now();
  let after = 0;
  timers.start(30, () => {
    after = performance.now() - start;
    expired.push('second');
  });
  first.cancel();
  await sleep(80);
  expect(expired).toEqual(['second']);
  expect(after).toBeGreaterThanOrEqual(30 - 1);
});

test('a deadline started while others expire is timed too, and an empty queue holds no timer', async () => {
  const before = timeouts();
  const timers = new DeadlineTimers();
  const expired: string[] = [];
  timers.start(20, () => {
    expired.push('first');
    timers.start(20, () => expired.push('started by the first'));
  });
  expect(timeouts()).toBe(before + 1);
  await sleep(70);
  expect(expired).toEqual(['first', 'started by the first']);
  // Other timers of the test runner may have come or gone during the sleep: count afresh.
  expect(timers.armed).toBe(0);
  const base = timeouts();
  const pending = [timers.start(5000, () => expired.push('never')), timers.start(5000, () => expired.push('never'))];
  expect(timeouts()).toBe(base + 1);
  expect(timers.armed).toBe(1);
  for (const timer of pending) timer.cancel();
  expect(timeouts()).toBe(base);
  expect(timers.armed).toBe(0);
});

test('a deadline longer than setTimeout takes (2^31 - 1 ms) waits, instead of re-arming every millisecond', async () => {
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(warning.name);
  process.on('warning', onWarning);
  try {
    const timers = new DeadlineTimers();
    let expired = false;
    const before = timeouts();
    const month = timers.start(30 * 24 * 3600 * 1000, () => {
      expired = true;
    });
    expect(timeouts()).toBe(before + 1);
    await sleep(50);
    expect(expired).toBe(false);
    expect(warnings).toEqual([]);
    expect(timers.armed).toBe(1);
    const base = timeouts();
    month.cancel();
    expect(timeouts()).toBe(base - 1);
    expect(timers.armed).toBe(0);
  } finally {
    process.off('warning', onWarning);
  }
});
