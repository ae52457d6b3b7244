import { isAlnum } from './chars.js';
import { FLAG, hasFlag } from './profile.js';
import type { Detector } from './types.js';

/**
 * Email addresses, ASCII only: local part `[A-Za-z0-9._%+-]{1,64}` (no leading, trailing or
 * double dot), a domain of at least two labels (1–63 letters, digits or inner hyphens) whose last
 * label is alphabetic (2–63) or punycode (`xn--…`). Asset names (`logo@2x.png`) and package specs
 * (`react@18.2.0`, `@types/node`) are not addresses. Found by expanding around each `@`, so the
 * work is linear in the text.
 */

/** `[A-Za-z0-9._%+-]`, by char code: it is tested once per character around every `@`. */
function isLocalChar(c: number): boolean {
  return isAlnum(c) || c === 0x2e || c === 0x5f || c === 0x25 || c === 0x2b || c === 0x2d;
}

/** `[A-Za-z0-9.-]`. */
function isDomainChar(c: number): boolean {
  return isAlnum(c) || c === 0x2e || c === 0x2d;
}

const LABEL = /^[A-Za-z0-9-]{1,63}$/;
const TLD = /^(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$/;
/** File extensions that are not top-level domains but follow `@` in asset names. */
const NOT_TLD = new Set(['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'avif', 'bmp', 'ico', 'tif', 'tiff', 'css', 'js', 'mjs', 'cjs', 'ts', 'json', 'html', 'htm', 'xml', 'txt', 'pdf', 'woff', 'woff2', 'ttf', 'map']);

function isEmailAt(text: string, at: number): [number, number] | undefined {
  let a = at;
  while (a > 0 && at - a <= 64 && isLocalChar(text.charCodeAt(a - 1))) a--;
  if (a === at || at - a > 64 || text[a - 1] === '@') return undefined;
  let b = at + 1;
  while (b < text.length && b - at <= 254 && isDomainChar(text.charCodeAt(b))) b++;
  if (b - at > 254) return undefined;
  // A sentence may end right after the address: drop trailing dots and hyphens.
  while (b > at + 1 && (text[b - 1] === '.' || text[b - 1] === '-')) b--;
  if (text[b] === '@') return undefined;
  const local = text.slice(a, at);
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return undefined;
  const labels = text.slice(at + 1, b).split('.');
  const tld = labels[labels.length - 1]!;
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l) && !l.startsWith('-') && !l.endsWith('-')) || !TLD.test(tld) || NOT_TLD.has(tld.toLowerCase())) return undefined;
  return [a, b];
}

export const email: Detector = {
  cls: 'email',
  // Every address is found around an `@` and has a domain of at least two labels.
  mayMatch: (p) => hasFlag(p, FLAG.at) && p.dots > 0,
  find(text, _ctx, emit) {
    for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
      const m = isEmailAt(text, at);
      if (m && !emit(m[0], m[1])) return;
    }
  },
};
