import { isIPv6 } from 'node:net';
import { codeAt, isAlnum, isDigit } from './chars.js';
import { keyHas, precededBy } from './context.js';
import { FLAG, hasFlag } from './profile.js';
import type { Detector, Emit, ScanContext } from './types.js';

/**
 * IP addresses.
 * - IPv4: exactly four dot-separated decimal octets 0–255 without leading zeros (`010.1.1.1` is
 *   octal to some parsers; we skip it). `1.2.3` and `1.2.3.4.5` are not addresses. A four-part
 *   version is indistinguishable from an address, so `1.2.3.4` is reported unless a version word
 *   precedes it (`version 1.2.3.4`, `build: 4.0.0.1`) or the JSON member is named like a version.
 * - IPv6: candidates of hex digits, colons and dots confirmed by `node:net`; they need a decimal
 *   digit and a `::` or seven colons, which keeps `::`, `Foo::Bar` and MAC addresses out.
 */

const V4_RUN = /\d[\d.]*/g;
const OCTET = /^(?:0|[1-9]\d{0,2})$/;
const VERSION_WORDS = /(?:^|[^a-z0-9])(?:version|ver|v|build|release|rev|revision|firmware|fw|assembly)[^a-z0-9]{0,6}$/i;

function versionContext(text: string, start: number, ctx: ScanContext): boolean {
  return ['version', 'ver', 'build', 'release', 'revision', 'firmware'].some((w) => keyHas(ctx, w)) || precededBy(text, start, VERSION_WORDS, 24);
}

function findV4(text: string, ctx: ScanContext, emit: Emit): boolean {
  V4_RUN.lastIndex = 0;
  for (let m = V4_RUN.exec(text); m; m = V4_RUN.exec(text)) {
    let s = m[0];
    if (s.length > 16) continue; // 255.255.255.255 plus a full stop
    // A sentence may end right after the address.
    if (s.endsWith('.')) s = s.slice(0, -1);
    const parts = s.split('.');
    if (parts.length !== 4 || !parts.every((p) => OCTET.test(p) && Number(p) <= 255)) continue;
    const end = m.index + s.length;
    if (isAlnum(codeAt(text, m.index - 1)) || text[m.index - 1] === '.' || isAlnum(codeAt(text, end))) continue;
    if (versionContext(text, m.index, ctx)) continue;
    if (!emit(m.index, end)) return false;
  }
  return true;
}

/** `[0-9A-Fa-f:.]`: what an IPv6 candidate is made of. */
function isV6Char(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66) || c === 0x3a || c === 0x2e;
}

/**
 * Candidates are the maximal runs of V6 characters that hold a colon, left to right. They are
 * found from each colon outwards, not by matching every run (prose is full of runs of a–f).
 */
function findV6(text: string, emit: Emit): boolean {
  for (let colon = text.indexOf(':'); colon >= 0; ) {
    let start = colon;
    while (start > 0 && isV6Char(text.charCodeAt(start - 1))) start--;
    let runEnd = colon + 1;
    while (runEnd < text.length && isV6Char(text.charCodeAt(runEnd))) runEnd++;
    colon = text.indexOf(':', runEnd);
    if (runEnd - start < 3 || runEnd - start > 46) continue;
    const s = text.slice(start, runEnd).replace(/\.$/, '');
    const colons = s.split(':').length - 1;
    if ((!s.includes('::') && colons !== 7) || !/\d/.test(s) || !isIPv6(s)) continue;
    const end = start + s.length;
    if (isAlnum(codeAt(text, start - 1)) || isAlnum(codeAt(text, end))) continue;
    if (!emit(start, end)) return false;
  }
  return true;
}

export const ipAddress: Detector = {
  cls: 'ip-address',
  // IPv4: four octets (4+ digits) and three dots in one V4_RUN. IPv6: a decimal digit, and `::`
  // or seven colons. The version context only ever suppresses.
  mayMatch: (p) => (p.dots >= 3 && p.numericRunDigits >= 4) || (p.digits > 0 && (p.colons >= 7 || hasFlag(p, FLAG.doubleColon))),
  find(text, ctx, emit) {
    if (findV4(text, ctx, emit)) findV6(text, emit);
  },
};
