/**
 * TTL values from app.config.json and from data hooks.
 * A number is seconds. A string must carry a unit ("60s", "10 minutes", "1h", "2 days"):
 * LWR reads a unit-less string as milliseconds, which silently turns "60" into 0.06 s.
 * Returns whole seconds (rounded down), or undefined when the value is not a valid TTL.
 */
const UNIT_SECONDS: Readonly<Record<string, number>> = {
  ms: 0.001,
  msec: 0.001,
  millisecond: 0.001,
  milliseconds: 0.001,
  s: 1,
  sec: 1,
  secs: 1,
  second: 1,
  seconds: 1,
  m: 60,
  min: 60,
  mins: 60,
  minute: 60,
  minutes: 60,
  h: 3600,
  hr: 3600,
  hrs: 3600,
  hour: 3600,
  hours: 3600,
  d: 86400,
  day: 86400,
  days: 86400,
  w: 604800,
  week: 604800,
  weeks: 604800,
};

const TTL_STRING = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i;

export function parseTtl(value: unknown): number | undefined {
  return parseDuration(value, 1);
}

/**
 * The same syntax as parseTtl, in whole milliseconds, for timeouts (`timeout="800ms"` on a root,
 * a route's `ssrTimeout`): a number is milliseconds, a string must carry a unit. undefined when
 * the value is not a duration.
 */
export function parseDurationMs(value: unknown): number | undefined {
  return parseDuration(value, 1000);
}

/** `perSecond` units per second of the result: 1 for seconds, 1000 for milliseconds. */
function parseDuration(value: unknown, perSecond: number): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const match = TTL_STRING.exec(value);
  if (match === null) return undefined;
  const factor = UNIT_SECONDS[match[2]!.toLowerCase()];
  if (factor === undefined) return undefined;
  // Rounded first: 0.001 × 1000 is not exactly 1 in floating point.
  const amount = Math.floor(Math.round(Number(match[1]) * factor * perSecond * 1e6) / 1e6);
  return Number.isSafeInteger(amount) ? amount : undefined;
}
