import { codeAt, includesAny, isAlnum } from './chars.js';
import { FLAG, hasFlag } from './profile.js';
import type { Detector } from './types.js';

/**
 * Password hashes in the self-describing formats of crypt(3), PHC, Django, passlib and LDAP.
 * Bare hex digests (MD5/SHA-1/SHA-256 as 32/40/64 hex characters) are deliberately not reported:
 * the same strings are ETags, git SHAs, content hashes and ids, and nothing in the string says
 * "password".
 */
interface HashShape {
  re: RegExp;
  /** Literals of which every match holds one: without any, `re` cannot match and is not run. */
  anchors: readonly string[];
}

const HASHES: readonly HashShape[] = [
  { re: /\$2[abxy]?\$[0-3]\d\$[./A-Za-z0-9]{53}/g, anchors: ['$2'] }, // bcrypt (cost checked below)
  { re: /\$argon2(?:id|i|d)\$v=\d{1,3}\$m=\d{1,10},t=\d{1,10},p=\d{1,3}\$[A-Za-z0-9+/]{8,128}\$[A-Za-z0-9+/]{16,512}/g, anchors: ['$argon2'] },
  { re: /\$argon2(?:id|i|d)\$m=\d{1,10},t=\d{1,10},p=\d{1,3}\$[A-Za-z0-9+/]{8,128}\$[A-Za-z0-9+/]{16,512}/g, anchors: ['$argon2'] }, // pre-1.3
  { re: /\$5\$rounds=\d{1,9}\$[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{43}/g, anchors: ['$5$'] }, // sha256-crypt
  { re: /\$5\$[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{43}/g, anchors: ['$5$'] },
  { re: /\$6\$rounds=\d{1,9}\$[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{86}/g, anchors: ['$6$'] }, // sha512-crypt
  { re: /\$6\$[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{86}/g, anchors: ['$6$'] },
  { re: /\$(?:1|apr1)\$[./A-Za-z0-9]{1,8}\$[./A-Za-z0-9]{22}/g, anchors: ['$1$', '$apr1$'] }, // md5-crypt
  { re: /\$y\$[./A-Za-z0-9]{1,32}\$[./A-Za-z0-9]{1,86}\$[./A-Za-z0-9]{43}/g, anchors: ['$y$'] }, // yescrypt
  { re: /\$7\$[./A-Za-z0-9]{11,64}\$[./A-Za-z0-9]{43}/g, anchors: ['$7$'] }, // scrypt (libsodium / crypt)
  { re: /\$scrypt\$ln=\d{1,2},r=\d{1,3},p=\d{1,3}\$[A-Za-z0-9+/.]{1,128}={0,2}\$[A-Za-z0-9+/.]{16,512}={0,2}/g, anchors: ['$scrypt$'] }, // passlib
  { re: /\$pbkdf2[-a-z0-9]{0,7}\$\d{1,7}\$[./A-Za-z0-9]{1,128}\$[./A-Za-z0-9]{16,256}/g, anchors: ['$pbkdf2'] }, // passlib
  { re: /pbkdf2_sha(?:1|256)\$\d{1,7}\$[A-Za-z0-9]{1,128}\$[A-Za-z0-9+/]{27,86}={0,2}/g, anchors: ['pbkdf2_sha'] }, // Django
  { re: /scrypt\$\d{1,8}\$[A-Za-z0-9]{1,128}\$\d{1,3}\$\d{1,3}\$[A-Za-z0-9+/]{43,88}={0,2}/g, anchors: ['scrypt$'] }, // Django
  // Case-insensitive: the anchor is the brace, which has no case.
  { re: /\{(?:SSHA|SHA|SSHA256|SSHA384|SSHA512|SHA256|SHA384|SHA512|SMD5|MD5)\}[A-Za-z0-9+/]{20,128}={0,2}/gi, anchors: ['{'] }, // LDAP
  { re: /\{CRYPT\}\$[./A-Za-z0-9$=,]{20,256}/gi, anchors: ['{'] }, // LDAP wrapper around crypt(3)
];

/** bcrypt cost is 4–31. */
function costOk(hash: string): boolean {
  const m = /^\$2[abxy]?\$(\d\d)\$/.exec(hash);
  return !m || (Number(m[1]) >= 4 && Number(m[1]) <= 31);
}

export const passwordHash: Detector = {
  cls: 'password-hash',
  // Every format has a `$` but LDAP's `{SHA}…`; the shortest (`{SHA}` + 20) has 25 characters.
  mayMatch: (p) => p.length >= 25 && (hasFlag(p, FLAG.dollar) || (hasFlag(p, FLAG.braceOpen) && hasFlag(p, FLAG.braceClose))),
  find(text, _ctx, emit) {
    for (const { re, anchors } of HASHES) {
      if (!includesAny(text, anchors)) continue;
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        const end = m.index + m[0].length;
        // The hash must end where the token ends; Django prefixes must start a token.
        if (isAlnum(codeAt(text, end)) || (m[0][0] !== '$' && m[0][0] !== '{' && isAlnum(codeAt(text, m.index - 1))) || !costOk(m[0])) continue;
        if (!emit(m.index, end)) return;
      }
    }
  },
};
