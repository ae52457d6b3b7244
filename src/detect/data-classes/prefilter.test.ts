import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { keyWords, splitKeyWords } from './context.js';
import { detectorsFor, scanText } from './find.js';
import { profileText } from './profile.js';
import { maskJsonValue, scanJsonValue, type JsonScanOptions } from './scan-json.js';
import { DATA_CLASSES, type DataClass, type ScanContext } from './types.js';

/**
 * Differential tests of the fast path: the pre-checks (`Detector.mayMatch` on `profileText`) and
 * the cached `keyWords` must never change a result. Every string literal of the other tests in
 * this directory, plus thousands of generated strings and JSON documents (seeded, so a failure
 * reproduces), are scanned with the pre-checks on and off.
 */

const DIR = fileURLToPath(new URL('.', import.meta.url));
const DETECTORS = detectorsFor(undefined);

/** mulberry32: small, fast, and the same sequence on every run for a seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Gen {
  private readonly next: () => number;
  constructor(seed: number) { this.next = rng(seed); }
  int(lo: number, hi: number): number { return lo + Math.floor(this.next() * (hi - lo + 1)); }
  chance(p: number): boolean { return this.next() < p; }
  pick<T>(xs: readonly T[]): T { return xs[this.int(0, xs.length - 1)]!; }
  chars(n: number, alphabet: string): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.int(0, alphabet.length - 1)];
    return s;
  }
}

/** The string literals (and the literal parts of template strings) of the other test files. */
function fixtureStrings(): string[] {
  const out = new Set<string>();
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.test.ts') && f !== 'prefilter.test.ts')) {
    const source = ts.createSourceFile(file, readFileSync(DIR + file, 'utf8'), ts.ScriptTarget.ES2022, false);
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateLiteralToken(node)) out.add(node.text);
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return [...out];
}

const DIGITS = '0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALNUM = `${DIGITS}${UPPER}abcdefghijklmnopqrstuvwxyz`;
const B64 = `${ALNUM}+/`;
const CRYPT64 = `./${ALNUM}`;
const HEX = '0123456789abcdefABCDEF';

/** Literal pieces the detectors key on: markers, prefixes, keywords and separators. */
const MARKERS = [
  '-----BEGIN ', '-----END ', 'PRIVATE KEY', 'RSA PRIVATE KEY', 'PGP PRIVATE KEY BLOCK', '-----', 'eyJ', 'ey', '@', '$',
  '$2b$12$', '$2a$04$', '$argon2id$v=19$m=65536,t=3,p=4$', '$argon2i$m=1,t=1,p=1$', '$1$', '$apr1$', '$5$', '$6$', '$5$rounds=5000$',
  '$y$', '$7$', '$scrypt$ln=16,r=8,p=1$', '$pbkdf2-sha256$29000$', 'pbkdf2_sha256$260000$', 'scrypt$16384$', '{SSHA}', '{SHA}',
  '{ssha512}', '{CRYPT}$', 'AKIA', 'ASIA', 'AIza', 'ghp_', 'gho_', 'github_pat_', 'xoxb-', 'xoxp-', 'xapp-1-', 'hooks.slack.com/services/T',
  '/B', 'sk_live_', 'rk_test_', 'glpat-', 'npm_', 'pcl_live_', 'secret_access_key', 'SecretAccessKey', 'aws_secret_access_key = ',
  '"SecretAccessKey": "', 'secretaccesskey: ', 'secretaccesskey = "', 'SSN: ', 'ssn=', 'social security number ', 'BSN ', 'burgerservicenummer ', 'sofi-nummer ', 'version ',
  'v', 'build: ', 'firmware ', '::', ':', '+', '+1 ', '+44 ', '(', ')', '(0)', '.', '-', ' ', '  ', '/', '_', '=', ',', ';', '"',
  '\\n', '\n', '\r\n', '\t', 'é', '０', 'xn--', '.com', '.org', 'example', '0', '1', '1-', '0800 ', '020 ',
];

const IIN_PREFIXES = ['4', '51', '55', '2221', '2720', '34', '37', '300', '3095', '36', '38', '3528', '6011', '644', '65', '62', '81', '2200', '60', '508', '506099', '50', '56', '6304', '6759', '9792', '1', '7'];

function luhnDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = body.charCodeAt(body.length - 1 - i) - 0x30;
    if (i % 2 === 0) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

function grouped(g: Gen, digits: string): string {
  if (g.chance(0.5)) return digits;
  const sep = g.pick([' ', '-', '.', '  ']);
  const sizes = g.chance(0.7) ? [4, 4, 4, 4, 4] : [4, 6, 5];
  const parts: string[] = [];
  let i = 0;
  for (const n of sizes) { if (i < digits.length) parts.push(digits.slice(i, i + n)); i += n; }
  if (i < digits.length) parts.push(digits.slice(i));
  return parts.join(sep);
}

function card(g: Gen): string {
  const body = g.pick(IIN_PREFIXES) + g.chars(g.int(8, 18), DIGITS);
  return grouped(g, body.slice(0, g.int(11, 19)) + (g.chance(0.8) ? luhnDigit(body.slice(0, 18)) : ''));
}

function ibanCheck(country: string, bban: string): string {
  const rearranged = bban + country + '00';
  let rem = 0;
  for (const ch of rearranged) {
    const v = ch >= 'A' ? ch.charCodeAt(0) - 55 : ch.charCodeAt(0) - 48;
    rem = (v > 9 ? rem * 100 + v : rem * 10 + v) % 97;
  }
  return String(98 - rem).padStart(2, '0');
}

function iban(g: Gen): string {
  const [country, length] = g.pick([['DE', 22], ['GB', 22], ['NO', 15], ['FR', 27], ['NL', 18], ['BE', 16], ['MT', 31], ['XX', 20]] as const);
  const bban = g.chars(length - 4, g.chance(0.7) ? DIGITS : `${DIGITS}${UPPER}`);
  const compact = country + (g.chance(0.85) ? ibanCheck(country, bban) : g.chars(2, DIGITS)) + bban;
  return g.chance(0.5) ? compact : (compact.match(/.{1,4}/g) ?? []).join(g.chance(0.9) ? ' ' : '  ');
}

function b64url(s: string): string {
  return Buffer.from(s).toString('base64url');
}

function jwt(g: Gen): string {
  const header = g.pick(['{"alg":"HS256"}', '{"alg":"none"}', '{ "alg": "RS256", "typ": "JWT" }', '{"typ":"JWT"}', '[1]', 'hello']);
  const parts = [b64url(header), b64url(`{"sub":"${g.chars(g.int(0, 8), ALNUM)}"}`), g.chars(g.int(0, 12), `${ALNUM}-_`)];
  if (g.chance(0.2)) parts.push(g.chars(g.int(0, 8), ALNUM), g.chars(g.int(0, 8), ALNUM));
  return parts.join('.') + (g.chance(0.1) ? '.' : '');
}

function privateKey(g: Gen): string {
  const label = g.pick(['PRIVATE KEY', 'RSA PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'PGP PRIVATE KEY BLOCK', 'PUBLIC KEY', 'A B C PRIVATE KEY']);
  const eol = g.pick(['\n', '\\n', '\r\n', ' ']);
  const body = Array.from({ length: g.int(0, 3) }, () => g.chars(g.int(4, 64), B64)).join(eol);
  const end = g.chance(0.7) ? `${eol}-----END ${g.chance(0.9) ? label : 'PRIVATE KEY'}-----` : '';
  return `-----BEGIN ${label}-----${eol}${body}${end}`;
}

function ip(g: Gen): string {
  if (g.chance(0.5)) return Array.from({ length: g.int(3, 5) }, () => String(g.int(0, 300))).join('.');
  const groups = Array.from({ length: g.int(1, 8) }, () => g.chars(g.int(1, 4), HEX));
  if (g.chance(0.6)) groups.splice(g.int(0, groups.length), 0, '');
  return groups.join(':');
}

function phone(g: Gen): string {
  const lead = g.pick(['+', '+1 ', '+44 (0)', '(', '0', '1-', '']);
  const sep = g.pick([' ', '-', '.', '']);
  const groups = Array.from({ length: g.int(1, 5) }, () => g.chars(g.int(1, 5), DIGITS));
  return lead + groups.join(sep) + (lead === '(' ? ')' : '');
}

function nationalId(g: Gen): string {
  switch (g.int(0, 3)) {
    case 0: return [g.chars(3, DIGITS), g.chars(2, DIGITS), g.chars(4, DIGITS)].join(g.pick(['-', ' ', '']));
    case 1: return g.chars(2, UPPER) + g.chars(6, DIGITS).replace(/(\d\d)(?=\d)/g, g.chance(0.5) ? '$1 ' : '$1') + g.pick([' ', '']) + g.pick(['A', 'B', 'C', 'D', 'E']);
    case 2: return g.pick(['', 'X', 'Y', 'Z']) + g.chars(g.int(7, 8), DIGITS) + g.pick(['', '-']) + g.chars(1, UPPER);
    default: return g.chars(g.int(7, 9), DIGITS);
  }
}

function email(g: Gen): string {
  return `${g.chars(g.int(1, 10), `${ALNUM}._%+-`)}@${g.chars(g.int(1, 8), `${ALNUM}-`)}${g.pick(['.com', '.org', '.co.uk', '.png', '.c', '', '.xn--p1ai'])}`;
}

/** Secrets and hashes: a marker followed by a run of the characters its shape allows, of a length near its bounds. */
function prefixed(g: Gen): string {
  const marker = g.pick(MARKERS.filter((m) => m.length > 2));
  return marker + g.chars(g.pick([8, 10, 16, 20, 22, 24, 35, 36, 38, 40, 43, 53, 86, g.int(1, 100)]), g.pick([ALNUM, B64, CRYPT64, `${ALNUM}_-`]));
}

/** An AWS secret access key after its name, as in a config file or raw JSON. */
function namedAwsSecret(g: Gen): string {
  const name = g.pick(['secretaccesskey', 'secret_access_key', 'SecretAccessKey', 'secretAccessKey', 'SECRETACCESSKEY']);
  const quote = g.pick(['', '"', "'"]);
  return name + quote + g.pick([':', '=', ' = ', ': ', '   :']) + g.pick(['', quote]) + g.chars(g.int(39, 41), g.pick([B64, 'bcdefgh01234+']));
}

/** One piece of a generated text. */
function atom(g: Gen, fixtures: readonly string[]): string {
  switch (g.int(0, 17)) {
    case 0: case 1: return g.pick(fixtures);
    case 2: return g.pick(MARKERS);
    case 3: return g.chars(g.int(1, 20), DIGITS);
    case 4: return Array.from({ length: g.int(2, 5) }, () => g.chars(g.int(1, 6), DIGITS)).join(g.pick([' ', '-', '.', '(', ')', '+']));
    case 5: return g.chars(g.int(1, 34), `${UPPER}${DIGITS} `);
    case 6: return g.chars(g.chance(0.3) ? 40 : g.int(1, 90), g.pick([B64, CRYPT64, HEX, 'abcdefghij klmno', 'bcdefgh01234+']));
    case 7: return card(g);
    case 8: return iban(g);
    case 9: return jwt(g);
    case 10: return privateKey(g);
    case 11: return ip(g);
    case 12: return phone(g);
    case 13: return nationalId(g);
    case 14: return email(g);
    case 15: return prefixed(g);
    case 16: return namedAwsSecret(g);
    default: return g.chars(g.int(1, 12), 'abcdefghijklmnopqrstuvwxyz');
  }
}

/** Deletes, inserts or replaces a few characters: near misses of valid values are where bounds matter. */
function mutate(g: Gen, s: string): string {
  let out = s;
  for (let n = g.int(1, 3); n > 0 && out.length > 0; n--) {
    const i = g.int(0, out.length - 1);
    const c = g.chars(1, `${ALNUM}@$.-_:/ +(){}`);
    out = g.pick([out.slice(0, i) + out.slice(i + 1), out.slice(0, i) + c + out.slice(i), out.slice(0, i) + c + out.slice(i + 1)]);
  }
  return out;
}

function text(g: Gen, fixtures: readonly string[]): string {
  const parts = Array.from({ length: g.int(1, 6) }, () => atom(g, fixtures));
  const s = parts.join(g.chance(0.5) ? '' : g.pick([' ', ', ', '\n', '"', '=', ': ']));
  return g.chance(0.3) ? mutate(g, s) : s;
}

/** Member names the detectors read as context, and ordinary ones. */
const MEMBER_NAMES = [
  'ssn', 'SSN', 'customerSsn', 'customer_SSN', 'socialSecurityNumber', 'social_security', 'SocialSecurity', 'bsn', 'BSN', 'burgerservicenummer',
  'sofinummer', 'iban', 'card', 'cardNumber', 'phone', 'email', 'version', 'appVersion', 'build', 'firmware', 'release', 'revision', 'ver',
  'aws_secret_access_key', 'SecretAccessKey', 'AwsSecretKey', 'secretAccessKey', 'AccessKeyId', 'id', 'name', 'note', 'price', 'tags',
  'SSNLast4', 'a/b~c', '', '__proto__', 'x',
];

function contextFor(g: Gen): ScanContext {
  return { keyWords: g.chance(0.6) ? keyWords(g.pick(MEMBER_NAMES)) : undefined, numeric: g.chance(0.2) };
}

function jsonLeaf(g: Gen, fixtures: readonly string[]): unknown {
  switch (g.int(0, 7)) {
    case 0: return g.int(0, 999_999_999);
    case 1: return g.pick([78051120, 123456789, 111222333, 4111111111111111, 4155552671, 1700000000, 12.5, -0.25, 1e21, 1.5e-7, 0]);
    case 2: return g.int(0, 1e6) / 100;
    case 3: return g.pick([true, false, null, 4111111111111111n, 78051120n]);
    default: return text(g, fixtures);
  }
}

function jsonValue(g: Gen, fixtures: readonly string[], depth: number): unknown {
  if (depth > 3 || g.chance(0.4)) return jsonLeaf(g, fixtures);
  if (g.chance(0.3)) return Array.from({ length: g.int(0, 4) }, () => jsonValue(g, fixtures, depth + 1));
  const obj: Record<string, unknown> = {};
  for (let n = g.int(0, 5); n > 0; n--) Object.defineProperty(obj, g.pick(MEMBER_NAMES), { value: jsonValue(g, fixtures, depth + 1), enumerable: true, configurable: true, writable: true });
  return obj;
}

function classSubset(g: Gen): ReadonlySet<DataClass> | undefined {
  return g.chance(0.3) ? undefined : new Set(DATA_CLASSES.filter(() => g.chance(0.5)));
}

/** Every reported match of one detector in `text`. */
function detectorMatches(cls: DataClass, text: string, ctx: ScanContext): [number, number][] {
  const found: [number, number][] = [];
  DETECTORS.find((d) => d.cls === cls)!.find(text, ctx, (start, end) => found.push([start, end]) > 0);
  return found;
}

const FIXTURES = fixtureStrings();
const CORPUS_SEED = 20240611;

function corpus(n: number, seed: number): string[] {
  const g = new Gen(seed);
  const contexts = [['', ''], ['see ', ' now'], ['"', '",'], ['x=', ';'], ['SSN ', ''], ['version ', '']];
  const out = FIXTURES.flatMap((f) => contexts.map(([pre, post]) => pre + f + post));
  for (let i = 0; i < n; i++) out.push(text(g, FIXTURES));
  return out;
}

describe('pre-checks', () => {
  it('reuse the fixture strings of the other tests', () => {
    // A guard against the extraction silently finding nothing.
    expect(FIXTURES.length).toBeGreaterThan(400);
    expect(FIXTURES).toContain('4111 1111 1111 1111');
  });

  it('never rule out a text in which a detector finds something', () => {
    const g = new Gen(CORPUS_SEED + 1);
    let skipped = 0;
    for (const text of corpus(6000, CORPUS_SEED)) {
      const ctx = contextFor(g);
      const profile = profileText(text);
      for (const detector of DETECTORS) {
        if (detector.mayMatch(profile, ctx, text)) continue;
        skipped++;
        expect(detectorMatches(detector.cls, text, ctx), `${detector.cls} in ${JSON.stringify(text)} (${JSON.stringify(ctx)})`).toEqual([]);
      }
    }
    // Most texts hold no class: the checks must rule out most detector runs, or they buy nothing.
    expect(skipped).toBeGreaterThan(DETECTORS.length * 1000);
  });

  it('never rule out a bare value that its member name makes sensitive', () => {
    const g = new Gen(CORPUS_SEED + 6);
    const values = ['078051120', '78051120', '7805112', '111222333', '123456782', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', '1.2.3.4'];
    for (let i = 0; i < 300; i++) values.push(g.chars(g.int(6, 10), DIGITS), g.chars(40, g.pick([B64, 'bcdefgh01234+'])), nationalId(g));
    for (const name of MEMBER_NAMES) {
      for (const text of values) {
        for (const numeric of [false, true]) {
          const ctx = { keyWords: keyWords(name), numeric };
          for (const detector of DETECTORS) {
            if (detector.mayMatch(profileText(text), ctx, text)) continue;
            expect(detectorMatches(detector.cls, text, ctx), `${detector.cls} in ${text} under ${name}`).toEqual([]);
          }
        }
      }
    }
  });

  it('leave scanText results unchanged (matches, truncation, class selection, context)', () => {
    const g = new Gen(CORPUS_SEED + 2);
    for (const text of corpus(4000, CORPUS_SEED + 3)) {
      const opts = { classes: classSubset(g), context: g.chance(0.7) ? contextFor(g) : undefined, maxMatches: g.chance(0.2) ? g.int(1, 3) : undefined };
      expect(scanText(text, opts), JSON.stringify({ text, ...opts, classes: opts.classes && [...opts.classes] })).toEqual(scanText(text, { ...opts, prefilter: false }));
    }
  });

  it('leave scanJsonValue and maskJsonValue results unchanged', () => {
    const g = new Gen(CORPUS_SEED + 4);
    for (let i = 0; i < 1500; i++) {
      const doc = jsonValue(g, FIXTURES, 0);
      const opts: JsonScanOptions = {
        classes: classSubset(g),
        maxNodes: g.chance(0.2) ? g.int(1, 8) : 100_000,
        maxStringLength: g.chance(0.2) ? g.int(1, 40) : undefined,
      };
      const plain = { ...opts, prefilter: false };
      expect(scanJsonValue(doc, opts), `doc ${i}`).toEqual(scanJsonValue(doc, plain));
      expect(maskJsonValue(doc, opts), `doc ${i}`).toEqual(maskJsonValue(doc, plain));
    }
  });

  it('rule out every detector for the values of a typical API response', () => {
    for (const text of ['amber birch desk organiser, cedar finish, 3 drawers', '12.5', '1003', 'batch-3', 'supplier kelp reef: reorder when fewer than 15 units left']) {
      const profile = profileText(text);
      expect(DETECTORS.filter((d) => d.mayMatch(profile, {}, text)).map((d) => d.cls), text).toEqual([]);
    }
  });
});

/** keyWords as it was before it was cached and rewritten without a regex per character: the oracle. */
function referenceKeyWords(key: string): string[] {
  const words: string[] = [];
  let cur = '';
  const s = key.slice(0, 128);
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (!/[A-Za-z0-9]/.test(c)) {
      if (cur) words.push(cur.toLowerCase());
      cur = '';
      continue;
    }
    const prev = s[i - 1] ?? '';
    const next = s[i + 1] ?? '';
    const upper = c >= 'A' && c <= 'Z';
    if (cur && upper && (/[a-z0-9]/.test(prev) || (/[A-Z]/.test(prev) && /[a-z]/.test(next)))) {
      words.push(cur.toLowerCase());
      cur = '';
    }
    cur += c;
  }
  if (cur) words.push(cur.toLowerCase());
  return words;
}

describe('keyWords', () => {
  it('splits member names as the reference implementation does', () => {
    const g = new Gen(CORPUS_SEED + 5);
    const keys = [...MEMBER_NAMES, 'HTTPServerURL', 'userID2FA', 'a'.repeat(127) + 'Bc', 'x'.repeat(200) + 'SSN', 'ÄpfelSSN', '\ud83dSsn'];
    for (let i = 0; i < 5000; i++) keys.push(g.chars(g.int(0, i % 50 === 0 ? 200 : 24), 'aAbBsSnN09_-. é$'));
    for (const key of keys) {
      expect(splitKeyWords(key), JSON.stringify(key)).toEqual(referenceKeyWords(key));
      expect(keyWords(key), JSON.stringify(key)).toEqual(referenceKeyWords(key));
    }
  });

  it('returns the same frozen words for a repeated name', () => {
    const first = keyWords('customerSsn');
    expect(keyWords('customerSsn')).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });
});
