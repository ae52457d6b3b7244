import type { TextProfile } from './types.js';

/**
 * The pre-check pass. Every detector runs at least one regex or search over the whole text, and
 * most JSON leaves (names, prices, tags, ids) can hold no class at all; one pass of counts lets
 * each detector rule such a text out (`Detector.mayMatch`) before any of that work.
 */

/** Marker characters some shape needs (bits of `TextProfile.flags`). */
export const FLAG = {
  at: 1 << 0,
  dollar: 1 << 1,
  braceOpen: 1 << 2,
  braceClose: 1 << 3,
  underscore: 1 << 4,
  slash: 1 << 5,
  equals: 1 << 6,
  capitalA: 1 << 7,
  /** Two adjacent colons (`::`). */
  doubleColon: 1 << 8,
} as const;

/** True when any of the characters in `flags` (bits of FLAG) occurs. */
export function hasFlag(p: TextProfile, flags: number): boolean {
  return (p.flags & flags) !== 0;
}

/** The flag of a marker character, 0 for any other character. */
function markerFlag(c: number): number {
  switch (c) {
    case 0x40: return FLAG.at;
    case 0x24: return FLAG.dollar;
    case 0x7b: return FLAG.braceOpen;
    case 0x7d: return FLAG.braceClose;
    case 0x5f: return FLAG.underscore;
    case 0x2f: return FLAG.slash;
    case 0x3d: return FLAG.equals;
    default: return 0;
  }
}

export function profileText(text: string): TextProfile {
  let digits = 0, upper = 0, dots = 0, dashes = 0, colons = 0, flags = 0;
  // Digits in the current run of numeric-shape characters, and the most seen in one run.
  let run = 0, maxRun = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Lower-case letters first: they are most of any text, and no test counts them.
    if (c >= 0x61 && c <= 0x7a) { run = 0; continue; }
    if (c >= 0x30 && c <= 0x39) {
      digits++;
      if (++run > maxRun) maxRun = run;
      continue;
    }
    if (c >= 0x41 && c <= 0x5a) {
      upper++;
      run = 0;
      if (c === 0x41) flags |= FLAG.capitalA;
      continue;
    }
    switch (c) {
      case 0x2e: dots++; break;
      case 0x2d: dashes++; break;
      case 0x20: case 0x28: case 0x29: case 0x2b: break; // space ( ) + continue a numeric run
      case 0x3a:
        colons++;
        run = 0;
        if (text.charCodeAt(i - 1) === 0x3a) flags |= FLAG.doubleColon;
        break;
      default:
        run = 0;
        flags |= markerFlag(c);
    }
  }
  return { length: text.length, digits, upper, dots, dashes, colons, numericRunDigits: maxRun, flags };
}
