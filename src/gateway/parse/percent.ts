const PCT = 0x25; // '%'

/** Value of one hex digit's char code, or -1. */
export function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** Byte value of a `%XX` at i (before end), or -1. */
export function pctByte(s: string, i: number, end: number): number {
  if (i + 2 >= end || s.charCodeAt(i) !== PCT) return -1;
  const h = hexVal(s.charCodeAt(i + 1));
  const l = hexVal(s.charCodeAt(i + 2));
  return h < 0 || l < 0 ? -1 : (h << 4) | l;
}
