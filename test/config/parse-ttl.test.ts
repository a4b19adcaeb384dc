import { expect, test } from 'vitest';
import { parseDurationMs, parseTtl } from '../../src/config/parse-ttl.js';

test.each<[unknown, number | undefined]>([
  [45, 45],
  [0, 0],
  [1.9, 1],
  [-1, undefined],
  [Number.NaN, undefined],
  [Number.POSITIVE_INFINITY, undefined],
  ['60s', 60],
  ['60 seconds', 60],
  ['1h', 3600],
  ['10 minutes', 600],
  ['2 days', 172800],
  ['1 week', 604800],
  ['1.5h', 5400],
  ['1500ms', 1],
  ['1H', 3600],
  ['60', undefined],
  ['-5', undefined],
  ['-5s', undefined],
  ['abc', undefined],
  ['10 fortnights', undefined],
  ['', undefined],
  [null, undefined],
  [{}, undefined],
])('parseTtl(%j) → %j', (value, expected) => {
  expect(parseTtl(value)).toBe(expected);
});

test.each<[unknown, number | undefined]>([
  [800, 800],
  [0, 0],
  [2.7, 2],
  [-1, undefined],
  ['800ms', 800],
  ['2s', 2000],
  ['1.5s', 1500],
  ['0.001s', 1],
  ['1 minute', 60000],
  ['800', undefined],
  ['fast', undefined],
  ['-1ms', undefined],
  [true, undefined],
])('parseDurationMs(%j) → %j', (value, expected) => {
  expect(parseDurationMs(value)).toBe(expected);
});
