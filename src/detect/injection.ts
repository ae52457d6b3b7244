import { cmdi } from './cmdi/index.js';
import { code } from './code/index.js';
import { phpUpload } from './code/upload.js';
import { crlf } from './crlf/index.js';
import { java } from './java/index.js';
import { jndi } from './jndi/index.js';
import { nosql } from './nosql/index.js';
import { protoPollution } from './proto/index.js';
import { isRedirectParameter, openRedirect } from './redirect/index.js';
import { sqli } from './sqli/index.js';
import { ssti } from './ssti/index.js';
import { traversal } from './traversal/index.js';
import type { Detector } from './types.js';
import { xss } from './xss/index.js';
import { xxe } from './xxe/index.js';

/**
 * Open redirects are judged only in redirect-style parameters (`next`, `returnTo`, `redirect_uri`…).
 * Their tricks count at paranoia level 1 (script schemes, backslash and userinfo authorities,
 * obfuscated URLs: 0.8 and up); a plain absolute URL to another host only from level 3: it is how
 * many legitimate `url=`/`next=` parameters look, and which hosts are the API's own is not known here.
 */
const redirectNames = new Map<string, boolean>();
const MAX_REMEMBERED_NAMES = 4096;
/** The same parameter names recur in every request: remember the answer (bounded: names are attacker text too). */
function redirectParameter(name: string): boolean {
  let yes = redirectNames.get(name);
  if (yes === undefined) {
    yes = isRedirectParameter(name);
    if (redirectNames.size < MAX_REMEMBERED_NAMES) redirectNames.set(name, yes);
  }
  return yes;
}

const redirect: Detector = {
  id: openRedirect.id,
  appliesTo: (kind, name) => (kind === 'query' || kind === 'body') && name !== undefined && redirectParameter(name),
  detect(value) {
    const hit = openRedirect.detect(value);
    return hit && hit.confidence < 0.8 ? { ...hit, paranoia: 3 } : hit;
  },
};

/** The detectors the injection control runs, in order (cheapest and most specific first; the first finding decides). */
export const INJECTION_DETECTORS: readonly Detector[] = [nosql, jndi, java, crlf, protoPollution, xxe, ssti, code, phpUpload, xss, traversal, sqli, cmdi, redirect];
