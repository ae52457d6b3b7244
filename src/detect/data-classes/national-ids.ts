import { bsnValid, spanishIdValid } from './checksums.js';
import { alnumEdges, dashJoined, numericEdges } from './chars.js';
import { keyHas, precededBy } from './context.js';
import type { Detector, Emit, ScanContext } from './types.js';

/**
 * National identifiers:
 * - US SSN `078-05-1120` / `078 05 1120`: area not 000, 666 or 9xx (ITINs), group not 00, serial
 *   not 0000. Nine bare digits only with context (after "SSN:", "social security number", or in
 *   a JSON member named like `ssn`), since they are otherwise just an id;
 * - UK National Insurance number `AB123456C` / `AB 12 34 56 C`: HMRC prefix rules, suffix A–D;
 * - Spanish DNI `12345678Z` and NIE `X1234567L`: check letter (number mod 23);
 * - Dutch BSN: 9 digits passing the 11-test, and only with context ("BSN", "burgerservicenummer",
 *   "sofinummer", or a JSON member so named) since one random 9-digit number in 11 passes.
 */

function ssnParts(area: string, group: string, serial: string): boolean {
  return area !== '000' && area !== '666' && area[0] !== '9' && group !== '00' && serial !== '0000';
}

const SSN_SEPARATED = /\d{3}[ -]\d{2}[ -]\d{4}/g;
const DIGIT_RUN = /\d+/g;
const SSN_WORDS = /(?:^|[^a-z0-9])(?:ssn|social[ _-]?security|social[ _-]?security[ _-]?(?:number|num|no))[^a-z0-9]{0,6}$/i;
const BSN_WORDS = /(?:^|[^a-z0-9])(?:bsn|burgerservicenummer|sofi-?nummer)[^a-z0-9]{0,6}$/i;
const NINO = /[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]/g;
const NINO_BAD_PREFIX = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);
const SPANISH = /[XYZ]?\d{7,8}-?[A-Z]/g;

function ssnContext(text: string, start: number, ctx: ScanContext): boolean {
  return keyHas(ctx, 'ssn') || keyHas(ctx, 'social', 'security') || precededBy(text, start, SSN_WORDS);
}

function bsnContext(text: string, start: number, ctx: ScanContext): boolean {
  return keyHas(ctx, 'bsn') || keyHas(ctx, 'burgerservicenummer') || keyHas(ctx, 'sofinummer') || precededBy(text, start, BSN_WORDS);
}

function findSsnSeparated(text: string, emit: Emit): boolean {
  SSN_SEPARATED.lastIndex = 0;
  for (let m = SSN_SEPARATED.exec(text); m; m = SSN_SEPARATED.exec(text)) {
    const s = m[0];
    const end = m.index + s.length;
    if (s[3] !== s[6] || !ssnParts(s.slice(0, 3), s.slice(4, 6), s.slice(7)) || !numericEdges(text, m.index, end, s[3] === ' ' ? '.- ' : '.-') || dashJoined(text, m.index, end)) {
      // A miss may overlap a real SSN that starts inside it (`1234-56-7890` vs `234-56-7890`), but
      // that one would touch a digit and fail the edge rule anyway. `123-45-6789-XL` is a SKU.
      continue;
    }
    if (!emit(m.index, end)) return false;
  }
  return true;
}

/** Bare 9-digit SSNs and BSNs, only where the context names them. */
function findBareNumbers(text: string, ctx: ScanContext, emit: Emit): boolean {
  DIGIT_RUN.lastIndex = 0;
  for (let m = DIGIT_RUN.exec(text); m; m = DIGIT_RUN.exec(text)) {
    let d = m[0];
    // A JSON number lost its leading zeros: 078051120 arrives as 78051120.
    if (ctx.numeric && d.length >= 7 && d.length < 9) d = d.padStart(9, '0');
    if (d.length !== 9 || !numericEdges(text, m.index, m.index + m[0].length)) continue;
    const ssn = ssnParts(d.slice(0, 3), d.slice(3, 5), d.slice(5)) && ssnContext(text, m.index, ctx);
    if ((ssn || (bsnValid(d) && bsnContext(text, m.index, ctx))) && !emit(m.index, m.index + m[0].length)) return false;
  }
  return true;
}

function findNino(text: string, emit: Emit): boolean {
  NINO.lastIndex = 0;
  for (let m = NINO.exec(text); m; m = NINO.exec(text)) {
    const s = m[0];
    const spaces = (s.match(/ /g) ?? []).length;
    if (NINO_BAD_PREFIX.has(s.slice(0, 2)) || (spaces !== 0 && spaces !== 4)) continue;
    if (!alnumEdges(text, m.index, m.index + s.length)) continue;
    if (!emit(m.index, m.index + s.length)) return false;
  }
  return true;
}

function findSpanish(text: string, emit: Emit): boolean {
  SPANISH.lastIndex = 0;
  for (let m = SPANISH.exec(text); m; m = SPANISH.exec(text)) {
    const end = m.index + m[0].length;
    if (!spanishIdValid(m[0].replace('-', '')) || !alnumEdges(text, m.index, end)) continue;
    if (!emit(m.index, end)) return false;
  }
  return true;
}

export const nationalId: Detector = {
  cls: 'national-id',
  // The fewest digits of any shape are a NINO's 6 (`12 34 56`); SSNs, BSNs (even a JSON number
  // padded from 7 digits) and Spanish ids have more, each in one run of digits, spaces or dashes.
  mayMatch: (p) => p.numericRunDigits >= 6,
  find(text, ctx, emit) {
    // Each finder reports in its own order; the caller sorts and resolves overlaps.
    if (findSsnSeparated(text, emit) && findBareNumbers(text, ctx, emit) && findNino(text, emit)) findSpanish(text, emit);
  },
};
