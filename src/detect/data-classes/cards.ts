import { luhnValid } from './checksums.js';
import { numericLeft, numericRight } from './chars.js';
import type { Detector } from './types.js';

/**
 * Payment card numbers (PAN): 13–19 digits, a known issuer prefix for that length, Luhn.
 *
 * Written either as one run of digits or in groups joined by one separator (all spaces or all
 * dashes) in the usual positions: 4-4-4-4 with a last group of 1–4 digits, or 4-6-5 / 4-6-4
 * (Amex, Diners). A run of digits is never split, so a 20-digit number holds no card; a grouped
 * card may sit next to other groups (`4111 1111 1111 1111 12/27`).
 */

const RUN = /\d[\d -]*/g;

/** [low, high, prefix length, allowed lengths]. */
type Iin = readonly [number, number, number, readonly number[]];
const L16_19 = [16, 17, 18, 19];
const L14_19 = [14, 15, 16, 17, 18, 19];
const L13_19 = [13, 14, 15, 16, 17, 18, 19];
const IIN: readonly Iin[] = [
  [4, 4, 1, [13, 16, 19]], // Visa
  [51, 55, 2, [16]], // Mastercard
  [2221, 2720, 4, [16]], // Mastercard 2-series
  [34, 34, 2, [15]], // Amex
  [37, 37, 2, [15]],
  [300, 305, 3, [14, 16, 17, 18, 19]], // Diners Club
  [3095, 3095, 4, [14, 16, 17, 18, 19]],
  [36, 36, 2, L14_19],
  [38, 39, 2, L14_19],
  [3528, 3589, 4, L16_19], // JCB
  [6011, 6011, 4, L16_19], // Discover
  [644, 649, 3, L16_19],
  [65, 65, 2, L16_19],
  [62, 62, 2, L16_19], // UnionPay
  [81, 81, 2, L16_19],
  [2200, 2204, 4, L16_19], // Mir
  [60, 60, 2, [16]], // RuPay
  [82, 82, 2, [16]],
  [508, 508, 3, [16]],
  [506099, 506198, 6, [16, 18, 19]], // Verve
  [50, 50, 2, L13_19], // Maestro
  [56, 58, 2, L13_19],
  [6304, 6304, 4, L13_19],
  [6759, 6759, 4, L13_19],
  [6761, 6763, 4, L13_19],
  [9792, 9792, 4, [16]], // Troy
];

export function issuerKnown(digits: string): boolean {
  return IIN.some(([lo, hi, n, lengths]) => {
    const p = Number(digits.slice(0, n));
    return p >= lo && p <= hi && lengths.includes(digits.length);
  });
}

export function isCardNumber(digits: string): boolean {
  return digits.length >= 13 && digits.length <= 19 && luhnValid(digits) && issuerKnown(digits);
}

/** Group lengths a card is printed in: one run, 4-6-5 / 4-6-4, or fours with a last group of 1–4. */
function groupingOk(len: (k: number) => number, i: number, j: number): boolean {
  if (i === j) return true;
  if (j === i + 2 && len(i) === 4 && len(i + 1) === 6 && (len(j) === 5 || len(j) === 4)) return true;
  if (j < i + 3 || len(j) > 4) return false;
  for (let k = i; k < j; k++) if (len(k) !== 4) return false;
  return true;
}

/** Digit groups of a run as parallel arrays (a run may be a megabyte long). */
interface Groups { n: number; start: Int32Array; end: Int32Array; sep: Uint16Array }

function groupsOf(text: string, start: number, end: number): Groups {
  const cap = end - start + 1;
  const g: Groups = { n: 0, start: new Int32Array(cap), end: new Int32Array(cap), sep: new Uint16Array(cap) };
  let sep = 0;
  for (let i = start; i < end; ) {
    let j = i;
    while (j < end && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x39) j++;
    g.start[g.n] = i;
    g.end[g.n] = j;
    g.sep[g.n] = sep; // the separator before this group (0 for the first); a doubled one yields an empty group
    g.n++;
    sep = text.charCodeAt(j);
    i = j + 1;
  }
  return g;
}

export const paymentCard: Detector = {
  cls: 'payment-card',
  // A card's 13–19 digits lie in one RUN, whose characters are all numeric-run characters.
  mayMatch: (p) => p.numericRunDigits >= 13,
  find(text, _ctx, emit) {
    RUN.lastIndex = 0;
    for (let m = RUN.exec(text); m; m = RUN.exec(text)) {
      if (m[0].length < 13) continue;
      const g = groupsOf(text, m.index, m.index + m[0].length);
      const last = g.n - 1;
      for (let i = 0; i <= last; i++) {
        const end = cardAt(text, g, i);
        if (end < 0) continue;
        const a = g.start[i]!;
        const b = g.end[end]!;
        // Inside the run the neighbours are separators; where the card touches the run's ends the
        // numeric edge rule applies.
        if ((i === 0 && !numericLeft(text, a, '.')) || (end === last && !numericRight(text, b, '.'))) continue;
        if (!emit(a, b)) return;
        i = end;
      }
    }
  },
};

/** Index of the last group of the longest card starting at group `i`, or -1. */
function cardAt(text: string, g: Groups, i: number): number {
  const len = (k: number) => g.end[k]! - g.start[k]!;
  // A grouped card has at most 5 groups (4-4-4-4-3) and every multi-group layout starts with 4 digits.
  const maxEnd = len(i) === 4 ? Math.min(g.n - 1, i + 4) : i;
  if (maxEnd === i && len(i) < 13) return -1;
  for (let j = maxEnd; j >= i; j--) {
    let total = 0;
    let sameSep = true;
    for (let k = i; k <= j; k++) {
      total += len(k);
      if (k > i + 1 && g.sep[k] !== g.sep[i + 1]) sameSep = false;
    }
    if (total < 13 || total > 19 || !sameSep || !groupingOk(len, i, j)) continue;
    let digits = '';
    for (let k = i; k <= j; k++) digits += text.slice(g.start[k], g.end[k]);
    if (isCardNumber(digits)) return j;
  }
  return -1;
}
