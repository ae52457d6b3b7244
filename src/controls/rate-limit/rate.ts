/** A steady rate: `points` requests (or cost units) per `durationSec` seconds. */
export interface Rate {
  points: number;
  durationSec: number;
}

const UNITS: Readonly<Record<string, number>> = {
  s: 1, sec: 1, second: 1,
  m: 60, min: 60, minute: 60,
  h: 3600, hour: 3600,
  d: 86_400, day: 86_400,
};

/** The largest count a rate may name: beyond it the arithmetic of the limiters stops being exact enough to matter. */
export const MAX_RATE_POINTS = 1_000_000_000;

/**
 * Parses `"<n>/<unit>"` (`100/min`, `10/s`, `5000/h`, `20000/day`): n an integer 1..1e9, the unit one
 * of s, sec, second, m, min, minute, h, hour, d, day (case-insensitive, spaces around `/` allowed).
 * Throws an Error naming what is wrong; the caller wraps it with where it was found.
 */
export function parseRate(text: string): Rate {
  if (typeof text !== 'string') throw new Error(`rate must be a string like "100/min", not ${typeof text}`);
  const m = /^\s*(\d{1,10})\s*\/\s*([a-zA-Z]+)\s*$/.exec(text);
  if (!m) throw new Error(`rate "${text.slice(0, 40)}" is not "<n>/<unit>" (for example "100/min" or "10/s")`);
  const points = Number(m[1]);
  const unit = (m[2] ?? '').toLowerCase();
  const durationSec = UNITS[unit];
  if (durationSec === undefined) throw new Error(`rate "${text.slice(0, 40)}": unknown unit "${unit.slice(0, 16)}" (use s, min, h or day)`);
  if (!Number.isInteger(points) || points < 1 || points > MAX_RATE_POINTS) throw new Error(`rate "${text.slice(0, 40)}": the count must be an integer from 1 to ${MAX_RATE_POINTS}`);
  return { points, durationSec };
}
