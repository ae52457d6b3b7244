/**
 * A seeded generator for the detectors' differential tests: `rand(n)` is an integer in [0, n).
 * mulberry32, in exact 32-bit integer steps: the `(seed * 1103515245 + 12345) % 2^31` LCG these
 * tests used before loses precision in doubles and its low bits, taken `% n`, repeat with a short
 * period, so its values kept falling into the same few shapes.
 */
export function seededRandom(seed: number): (n: number) => number {
  let s = seed | 0;
  return (n: number): number => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
}
