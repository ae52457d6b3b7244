import { ibanMod97Valid } from './checksums.js';
import { codeAt, isAlnum } from './chars.js';
import type { Detector } from './types.js';

/**
 * IBANs: upper-case country code with its registered length (SWIFT IBAN registry), MOD 97-10.
 * Written compact (`DE89370400440532013000`) or in groups of four separated by single spaces
 * (`DE89 3704 0044 0532 0130 00`); any other spacing is not an IBAN we report.
 */
const LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28,
  CH: 21, CR: 22, CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18,
  FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22,
  IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20,
  LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28, NL: 18,
  NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24, SC: 31, SD: 18,
  SE: 24, SI: 19, SK: 24, SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29, VA: 22,
  VG: 24, XK: 20, YE: 30,
};

/** Country code, check digits, then a bounded run of BBAN characters and spaces (42 = 34 + 8 spaces). */
const CANDIDATE = /[A-Z]{2}\d{2}[A-Z0-9 ]{11,42}/g;

export const iban: Detector = {
  cls: 'iban',
  // CANDIDATE: two capitals, two digits and at least 11 more characters.
  mayMatch: (p) => p.length >= 15 && p.upper >= 2 && p.digits >= 2,
  find(text, _ctx, emit) {
    CANDIDATE.lastIndex = 0;
    for (let m = CANDIDATE.exec(text); m; m = CANDIDATE.exec(text)) {
      const start = m.index;
      const expected = LENGTHS[m[0].slice(0, 2)];
      const end = expected === undefined || isAlnum(codeAt(text, start - 1)) ? -1 : ibanEnd(m[0], expected);
      if (end < 0 || !ibanMod97Valid(m[0].slice(0, end).replaceAll(' ', '')) || isAlnum(codeAt(text, start + end))) {
        // The candidate may have swallowed the start of a real IBAN (`XX12 DE89 3704 …`).
        CANDIDATE.lastIndex = start + 1;
        continue;
      }
      if (!emit(start, start + end)) return;
      CANDIDATE.lastIndex = start + end;
    }
  },
};

/**
 * Length in `s` of an IBAN of `expected` characters: compact, or in groups of four after the
 * first four, separated by single spaces. -1 when `s` does not start with one. The run may go
 * on past it (`BE68 5390 0754 7034 SENT`), but not inside a group.
 */
function ibanEnd(s: string, expected: number): number {
  if (s[4] !== ' ') {
    const compact = /^[A-Z0-9]*/.exec(s)![0];
    return compact.length === expected ? expected : -1;
  }
  let seen = 0;
  for (let i = 0; i < s.length; i++) {
    const isSpace = s[i] === ' ';
    // Spaces sit exactly after every fourth character.
    if (isSpace !== (i % 5 === 4)) return -1;
    if (!isSpace && ++seen === expected) return s[i + 1] === undefined || s[i + 1] === ' ' ? i + 1 : -1;
  }
  return -1;
}
