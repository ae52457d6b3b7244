import { isIPv6 } from 'node:net';
import { codeAt, isAlnum } from './chars.js';
import { keyHas, precededBy } from './context.js';
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
const V6_RUN = /[0-9A-Fa-f:.]+/g;
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

function findV6(text: string, emit: Emit): boolean {
  V6_RUN.lastIndex = 0;
  for (let m = V6_RUN.exec(text); m; m = V6_RUN.exec(text)) {
    let s = m[0];
    if (s.length < 3 || s.length > 46 || !s.includes(':')) continue;
    s = s.replace(/\.$/, '');
    const colons = s.split(':').length - 1;
    if ((!s.includes('::') && colons !== 7) || !/\d/.test(s) || !isIPv6(s)) continue;
    const end = m.index + s.length;
    if (isAlnum(codeAt(text, m.index - 1)) || isAlnum(codeAt(text, end))) continue;
    if (!emit(m.index, end)) return false;
  }
  return true;
}

export const ipAddress: Detector = {
  cls: 'ip-address',
  find(text, ctx, emit) {
    if (findV4(text, ctx, emit)) findV6(text, emit);
  },
};
