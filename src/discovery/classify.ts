/**
 * What one decoded path segment looks like. Shapes only, no context: the templater adds
 * cardinality and position, and schema inference reuses the kinds as formats.
 *
 * Order matters and is part of the contract (classify.test.ts pins it): versions before numbers
 * (`2.0`), dates before integers (`20240501`), UUIDs and ObjectIds before hex, locales and
 * slugs before tokens (`iphone-15-pro-max` is a slug, not an opaque token).
 */
export const SEGMENT_KINDS = [
  'empty', 'version', 'uuid', 'objectid', 'date', 'integer', 'hex', 'email', 'locale',
  'code', 'file', 'slug', 'token', 'word', 'other',
] as const;
export type SegmentKind = (typeof SEGMENT_KINDS)[number];

/**
 * Kinds that are values by their shape alone: a lone `/orders/8812` is an id. The others
 * (words, slugs, file names, locales) become parameters only by cardinality.
 */
const VALUE_KINDS: ReadonlySet<SegmentKind> = new Set(['uuid', 'objectid', 'date', 'integer', 'hex', 'email', 'code', 'token']);
export function isValueKind(kind: SegmentKind): boolean {
  return VALUE_KINDS.has(kind);
}

/** Longer segments are classified by alphabet only (`token` or `other`): shapes are short. */
export const MAX_CLASSIFIED_LENGTH = 512;

const VERSION = /^(?:v\d{1,4}(?:\.\d{1,4}){0,2}(?:-?(?:alpha|beta|rc|preview)\d{0,3})?|\d{1,4}\.\d{1,4}(?:\.\d{1,4})?)$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const OBJECT_ID = /^(?:[0-9a-f]{24}|[0-9A-F]{24})$/;
const DATE_DASHED = /^(\d{4})-(\d{2})(?:-(\d{2}))?(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const DATE_COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const DIGITS = /^\d+$/;
const HEX = /^(?:[0-9a-f]+|[0-9A-F]+)$/;
const EMAIL = /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,63}$/;
const LOCALE = /^([a-z]{2,3})(?:[-_]([A-Za-z]{2}|\d{3}|[A-Z][a-z]{3}))?$/i;
const CODE = /^[A-Z0-9]+(?:[-_][A-Z0-9]+)*$/;
const FILE = /^([^.]+(?:\.[^.]+)*)\.([A-Za-z][A-Za-z0-9]{0,4})$/;
const SLUG = /^[a-z0-9]+(?:[-_][a-z0-9]+)+$/;
const TOKEN = /^[A-Za-z0-9_~-]+(?:\.[A-Za-z0-9_~-]+){0,2}={0,2}$/;
const WORD = /^[\p{L}\p{N}]*\p{L}[\p{L}\p{N}]*$/u;

/** ISO 639-1 codes common on the web. `id`, `it`, `is`, `no`, `me`… are words on their own, so they count only with a region. */
const LANGUAGES = new Set([
  'en', 'fr', 'de', 'es', 'pt', 'nl', 'ja', 'zh', 'ko', 'ru', 'pl', 'sv', 'da', 'fi', 'nb', 'nn', 'tr', 'ar', 'he', 'cs',
  'el', 'hu', 'ro', 'uk', 'vi', 'th', 'hi', 'ms', 'bg', 'hr', 'sk', 'sl', 'sr', 'lt', 'lv', 'et', 'fa', 'bn', 'ta', 'ur', 'ca', 'eu', 'gl',
]);
const REGION_ONLY_LANGUAGES = new Set(['id', 'it', 'is', 'no', 'fil']);

function validDate(y: number, m: number, d: number | undefined): boolean {
  if (y < 1900 || y > 2099 || m < 1 || m > 12) return false;
  if (d === undefined) return true;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d >= 1 && d <= days;
}

function isDate(s: string): boolean {
  let m = DATE_DASHED.exec(s);
  if (m) return validDate(Number(m[1]), Number(m[2]), m[3] === undefined ? undefined : Number(m[3]));
  m = DATE_COMPACT.exec(s);
  return m !== null && validDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

function isLocale(s: string): boolean {
  const m = LOCALE.exec(s);
  if (!m) return false;
  const lang = m[1]!.toLowerCase();
  if (m[1] !== lang) return false; // `EN-us` is not how locales are written
  if (m[2] === undefined) return LANGUAGES.has(lang);
  return LANGUAGES.has(lang) || REGION_ONLY_LANGUAGES.has(lang);
}

function counts(s: string): { lower: number; upper: number; digit: number; runs: number } {
  let lower = 0, upper = 0, digit = 0, runs = 0, prev = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let cls = 3;
    if (c >= 0x61 && c <= 0x7a) { lower++; cls = 0; }
    else if (c >= 0x41 && c <= 0x5a) { upper++; cls = 1; }
    else if (c >= 0x30 && c <= 0x39) { digit++; cls = 2; }
    if (cls !== prev) runs++;
    prev = cls;
  }
  return { lower, upper, digit, runs };
}

/** A slug reads as words: at least half its parts are letters only. `a8f3-k29d` is not one. */
function isSlug(s: string): boolean {
  if (!SLUG.test(s)) return false;
  const parts = s.split(/[-_]/);
  let wordy = 0;
  for (const p of parts) if (/^[a-z]{2,}$/.test(p)) wordy++;
  return wordy * 2 >= parts.length;
}

/**
 * Opaque tokens: the base64url alphabet (plus JWT dots and padding), long enough and mixed
 * enough that no word or identifier has that shape. `oauth2`, `html5`, `sha256` stay words.
 */
function isToken(s: string): boolean {
  if (s.length < 10 || !TOKEN.test(s)) return false;
  const c = counts(s);
  const letters = c.lower + c.upper;
  if (letters === 0) return false;
  if (c.lower > 0 && c.upper > 0 && c.digit > 0) return true;
  if (s.length >= 16 && c.digit > 0) return true;
  // Mixed case without digits is camelCase unless the case flips too often for words.
  if (s.length >= 20 && c.lower > 0 && c.upper > 0 && c.runs * 2 >= s.length) return true;
  // Lower case and digits interleaved (`x7k2m9p4q1`), not a word with a number (`windows10`).
  return c.digit >= 2 && c.runs >= 5;
}

/**
 * The kind of one decoded segment. Never throws; linear in the segment's length (every regex is
 * anchored with no nested quantifier).
 */
export function classifySegment(value: string): SegmentKind {
  const s = value;
  if (s.length === 0) return 'empty';
  if (s.length > MAX_CLASSIFIED_LENGTH) return TOKEN.test(s) ? 'token' : 'other';
  if (VERSION.test(s)) return 'version';
  if (s.length === 36 && UUID.test(s)) return 'uuid';
  if (s.length === 24 && OBJECT_ID.test(s) && !DIGITS.test(s)) return 'objectid';
  if (isDate(s)) return 'date';
  if (DIGITS.test(s)) return 'integer';
  if (HEX.test(s)) {
    const c = counts(s);
    // Hashes and hex ids: md5 (32), sha1 (40), sha256 (64) or any long run; short runs need digits and letters (`beef1234`, not `facade`).
    if (s.length >= 16 && c.digit > 0) return 'hex';
    if (s.length >= 8 && c.digit > 0 && c.digit < s.length) return 'hex';
  }
  if (s.includes('@')) return EMAIL.test(s) ? 'email' : 'other';
  if (isLocale(s)) return 'locale';
  if (s.length >= 4 && CODE.test(s)) {
    const c = counts(s);
    if (c.upper > 0 && c.digit >= 2) return 'code';
  }
  if (s.includes('.') && FILE.test(s) && !TOKEN_JWT.test(s)) return 'file';
  if (isSlug(s)) return 'slug';
  if (isToken(s)) return 'token';
  if (WORD.test(s)) return 'word';
  return 'other';
}

/** Three base64url parts starting `eyJ`: a JWT, not `name.ext`. */
const TOKEN_JWT = /^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;
