/** Character tests and edge rules shared by the detectors (char codes, no regex). */

export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

export function isAsciiLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

export function isAlnum(c: number): boolean {
  return isDigit(c) || isAsciiLetter(c);
}

/** Code at `i`, or NaN outside the text (every test above is false for NaN). */
export function codeAt(text: string, i: number): number {
  return i >= 0 && i < text.length ? text.charCodeAt(i) : NaN;
}

/**
 * True when `text[start, end)` is a whole token for a numeric value: no letter or digit touches
 * it, and it does not continue as a longer dotted or dashed number (`0.4111…`, `…1111.50`,
 * `12-…`). Without this a float's fraction, an id or a hex blob would yield a card or an SSN.
 */
export function numericEdges(text: string, start: number, end: number, joiners = '.-'): boolean {
  return numericLeft(text, start, joiners) && numericRight(text, end, joiners);
}

export function numericLeft(text: string, start: number, joiners = '.-'): boolean {
  if (isAlnum(codeAt(text, start - 1))) return false;
  return !(joiners.includes(text[start - 1] ?? '\0') && isDigit(codeAt(text, start - 2)));
}

export function numericRight(text: string, end: number, joiners = '.-'): boolean {
  if (isAlnum(codeAt(text, end))) return false;
  return !(joiners.includes(text[end] ?? '\0') && isDigit(codeAt(text, end + 1)));
}

/**
 * True when a dash joins `text[start, end)` to a word or number (`ORD-100-200-3000`,
 * `123-45-6789-XL`): then it is part of an identifier.
 */
export function dashJoined(text: string, start: number, end: number): boolean {
  return (text[start - 1] === '-' && isAlnum(codeAt(text, start - 2))) || (text[end] === '-' && isAlnum(codeAt(text, end + 1)));
}

/** True when `text` contains one of `needles` (native searches, much cheaper than a regex scan). */
export function includesAny(text: string, needles: readonly string[]): boolean {
  for (const n of needles) if (text.includes(n)) return true;
  return false;
}

/** True when no ASCII letter or digit touches `text[start, end)`. */
export function alnumEdges(text: string, start: number, end: number): boolean {
  return !isAlnum(codeAt(text, start - 1)) && !isAlnum(codeAt(text, end));
}
