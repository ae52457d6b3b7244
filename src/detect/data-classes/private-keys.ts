import type { Detector } from './types.js';

/**
 * PEM / OpenSSH / PGP private key blocks: `-----BEGIN … PRIVATE KEY-----` (any algorithm word,
 * `ENCRYPTED`, `OPENSSH`) or `-----BEGIN PGP PRIVATE KEY BLOCK-----`, through the matching END
 * line. A block cut off before its END line (a truncated response) still counts: it then runs to
 * the end of its base64 body. Public keys and certificates are not secrets. PuTTY `.ppk` files are
 * not recognised.
 */

const ALGORITHM_WORD = /^[A-Z0-9]{2,10}$/;

/** `PRIVATE KEY` after at most two words (`RSA`, `ENCRYPTED`, `OPENSSH`), or `PGP PRIVATE KEY BLOCK`. */
function isPrivateKeyLabel(label: string): boolean {
  if (label === 'PRIVATE KEY' || label === 'PGP PRIVATE KEY BLOCK') return true;
  if (!label.endsWith(' PRIVATE KEY')) return false;
  const words = label.slice(0, -' PRIVATE KEY'.length).split(' ');
  return words.length <= 2 && words.every((w) => ALGORITHM_WORD.test(w));
}

const MAX_BLOCK = 65_536;
/** Enough key material to be a key, not a documentation placeholder. */
const MIN_BODY = 32;

function isBodyChar(c: number): boolean {
  // base64, whitespace, and `\` for bodies whose newlines arrive escaped (`\n` inside JSON text).
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ||
    c === 0x2b || c === 0x2f || c === 0x3d || c === 0x5c || c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function base64Count(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2b || c === 0x2f) n++;
  }
  return n;
}

export const privateKey: Detector = {
  cls: 'private-key',
  // `-----BEGIN ` and the `-----` closing its label: ten dashes.
  mayMatch: (p) => p.dashes >= 10,
  find(text, _ctx, emit) {
    // The next END marker is looked up once and reused, so many BEGINs cost one pass.
    let nextEnd = -2;
    for (let i = text.indexOf('-----BEGIN ', 0); i >= 0; ) {
      const close = text.indexOf('-----', i + 11);
      const label = close >= 0 && close - (i + 11) <= 40 ? text.slice(i + 11, close) : '';
      if (!isPrivateKeyLabel(label)) { i = text.indexOf('-----BEGIN ', i + 11); continue; }
      const bodyStart = close + 5;
      if (nextEnd !== -1 && nextEnd < bodyStart) nextEnd = text.indexOf('-----END ', bodyStart);
      let end = -1;
      const endLine = `-----END ${label}-----`;
      if (nextEnd >= 0 && nextEnd - bodyStart <= MAX_BLOCK && text.startsWith(endLine, nextEnd)) {
        if (base64Count(text.slice(bodyStart, nextEnd)) >= MIN_BODY) end = nextEnd + endLine.length;
      } else {
        let j = bodyStart;
        while (j < text.length && j - bodyStart < MAX_BLOCK && isBodyChar(text.charCodeAt(j))) j++;
        while (j > bodyStart && isBodyChar(text.charCodeAt(j - 1)) && /[\s\\]/.test(text[j - 1]!)) j--;
        if (base64Count(text.slice(bodyStart, j)) >= MIN_BODY) end = j;
      }
      if (end >= 0 && !emit(i, end)) return;
      i = text.indexOf('-----BEGIN ', end >= 0 ? end : bodyStart);
    }
  },
};
