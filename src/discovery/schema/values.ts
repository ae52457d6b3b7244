import { keyWords } from '../../detect/data-classes/context.js';
import { scanText } from '../../detect/data-classes/index.js';
import { classifySegment, type SegmentKind } from '../classify.js';
import { MAX_VALUE_LENGTH } from './bounds.js';

/**
 * Which observed values may be written into a schema as `enum` members or `examples`.
 * Inferred schemas end up in exported specs and reports, so a raw value is kept only when it is
 * a short token that nothing marks as personal or secret:
 * - the sensitive-data classifier finds nothing in it (and did not give up);
 * - it is not free text (at most MAX_VALUE_LENGTH characters, no line breaks, at most two spaces);
 * - its shape is not an identifier or a credential (tokens, hashes, ObjectIds, UUIDs, e-mails,
 *   dates: birth dates are personal data, ids are not enumerations);
 * - the member or parameter name holding it does not name a secret or personal data
 *   (`password`, `token`, `pin`, `name`, `address`…): the classifier cannot tell that `hunter2`
 *   is a password or `Alice` a name, the key can.
 */

const UNSAFE_KINDS: ReadonlySet<SegmentKind> = new Set(['token', 'hex', 'objectid', 'uuid', 'email', 'date']);

/** Lower-case words of member names (as `keyWords` splits them) that make every value under them unsafe. */
const SENSITIVE_WORDS: ReadonlySet<string> = new Set([
  // secrets
  'password', 'passwd', 'pwd', 'pass', 'passphrase', 'secret', 'token', 'key', 'apikey', 'auth', 'authorization',
  'credential', 'credentials', 'session', 'sid', 'cookie', 'otp', 'totp', 'pin', 'cvv', 'cvc', 'signature', 'sig',
  'salt', 'hash', 'nonce', 'jwt', 'bearer', 'private',
  // personal data
  'name', 'firstname', 'lastname', 'surname', 'fullname', 'username', 'login', 'email', 'mail', 'phone', 'mobile',
  'address', 'street', 'city', 'zip', 'postcode', 'postal', 'birth', 'birthday', 'birthdate', 'dob', 'ssn', 'iban',
  'card', 'pan', 'passport', 'license', 'ip', 'lat', 'lng', 'lon', 'latitude', 'longitude',
  // free text by its name
  'description', 'comment', 'comments', 'message', 'note', 'notes', 'text', 'body', 'content', 'bio', 'query', 'search', 'q',
]);

export function sensitiveKey(key: string | undefined): boolean {
  if (key === undefined) return false;
  for (const w of keyWords(key)) if (SENSITIVE_WORDS.has(w)) return true;
  return false;
}

function freeText(s: string): boolean {
  if (s.length === 0 || s.length > MAX_VALUE_LENGTH) return true;
  let spaces = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
    if (c === 0x20 && ++spaces > 2) return true;
  }
  return false;
}

function flagged(text: string, key: string | undefined, numeric: boolean): boolean {
  const scan = scanText(text, { context: { keyWords: key === undefined ? undefined : keyWords(key), numeric } });
  return scan.truncated || scan.matches.length > 0;
}

/** May `value`, seen under `key`, be written into a schema? Booleans always may; see above for the rest. */
export function valueMayBeShown(value: string | number | boolean, key: string | undefined): boolean {
  if (typeof value === 'boolean') return true;
  if (typeof value === 'number') return !flagged(String(value), key, true);
  if (freeText(value) || UNSAFE_KINDS.has(classifySegment(value))) return false;
  return !flagged(value, key, false);
}
