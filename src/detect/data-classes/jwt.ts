import type { Detector } from './types.js';

/**
 * JSON Web Tokens in compact form: three base64url segments (five for JWE) whose first decodes to
 * a JSON object with a string `alg`. The signature may be empty only for `alg: none`. A JSON header
 * always encodes to `ey…`, so candidates start there; each run of token characters is read once.
 */

const MAX_TOKEN = 65_536;
const MAX_HEADER = 4_096;

function isTokenChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x5f;
}

function headerAlg(segment: string): string | undefined {
  if (segment.length > MAX_HEADER || segment.length % 4 === 1) return undefined;
  try {
    const h: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    if (h && typeof h === 'object' && !Array.isArray(h)) {
      const alg = (h as Record<string, unknown>).alg;
      if (typeof alg === 'string') return alg;
    }
  } catch {
    // not JSON: not a token
  }
  return undefined;
}

export const jwt: Detector = {
  cls: 'jwt',
  // Three segments (JWS) or five (JWE) are joined by two or four dots.
  mayMatch: (p) => p.dots >= 2,
  find(text, _ctx, emit) {
    let from = 0;
    for (let i = text.indexOf('ey', from); i >= 0; i = text.indexOf('ey', from)) {
      const prev = i > 0 ? text.charCodeAt(i - 1) : NaN;
      // Inside a longer token or after a dot: not the start of a JWT.
      if (isTokenChar(prev) || prev === 0x2e) { from = i + 1; continue; }
      let end = i;
      while (end < text.length && end - i <= MAX_TOKEN && (isTokenChar(text.charCodeAt(end)) || text.charCodeAt(end) === 0x2e)) end++;
      from = end;
      if (end - i > MAX_TOKEN) {
        while (from < text.length && (isTokenChar(text.charCodeAt(from)) || text.charCodeAt(from) === 0x2e)) from++;
        continue;
      }
      const parts = text.slice(i, end).split('.');
      // `header.payload.sig.` at the end of a sentence; an unsigned token is `header.payload.`.
      if ((parts.length === 4 || parts.length === 6) && parts[parts.length - 1] === '') parts.pop();
      if (parts.length !== 3 && parts.length !== 5) continue;
      const alg = headerAlg(parts[0]!);
      if (alg === undefined || parts.some((p) => p.length % 4 === 1)) continue;
      // JWS: a payload, and a signature unless `none`. JWE: a ciphertext (the key part is empty for `dir`).
      const body = parts.length === 3 ? parts[1]! : parts[3]!;
      if (body.length < 2 || (parts.length === 3 && parts[2] === '' && alg.toLowerCase() !== 'none')) continue;
      if (!emit(i, i + parts.join('.').length)) return;
    }
  },
};
