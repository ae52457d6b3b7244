import { decodeEscapes } from '../decode.js';
import type { Detection, Detector } from '../types.js';
import { ALL, charMask, NOT_BASE64 } from './chars.js';
import { keyIndex } from './keys.js';
import { RULES, type Rule } from './rules.js';

/**
 * Server-side code injection: a value that an interpreter's `eval` (or an include, a deserializer,
 * a template's raw code block) would run as code — the ground OWASP CRS covers with
 * REQUEST-934 (Node.js, Perl, Ruby, generic) and REQUEST-933 (PHP). Reasons: `node-code`,
 * `php-code`, `python-code`, `ruby-code`, `perl-code` and `eval-call`.
 *
 * What counts (rules.ts):
 *   - shapes that run code: an interpreter escape (`<?php`, `<?=`, `@{[ … ]}`, `%x(…)`), a call of a
 *     command/code function with arguments (`system('id')`, `shell_exec($c)`, `__import__('os')`,
 *     `Process.spawn(…)`), module and object paths that only lead to the interpreter
 *     (`process.mainModule`, `require('child_process')`, `this.constructor.constructor`),
 *     PHP's variable functions and superglobals, serialized objects → 0.75–0.95, paranoia 1;
 *   - library calls payloads are written with (`chr(112).chr(104)`, `substr(…)`) at the start of a
 *     value or after code punctuation → 0.7; elsewhere paranoia 3;
 *   - a bare dangerous name (`base64_decode`, `shell_exec`, `child_process`) with no call → 0.5, paranoia 2.
 *
 * What does not: prose that uses the same words (`the system (of record)`, `exec summary`,
 * `require a password`, `eval period`, `file(s)`), method calls (`str.substr(1)`, `re.exec(s)`),
 * JSON, arithmetic, `process` as a word, file names (`require.js`, `system.php`), `${name}`
 * placeholders (the SSTI detector judges templates), backticks (the command detector's), `php://`
 * (traversal's).
 *
 * Code-ish but harmless text (a developer pasting a snippet into a support form): a snippet that
 * calls `eval`, `exec`, `system`, `child_process`… is indistinguishable from the attack that
 * would run it, so it is flagged; one that only uses ordinary library calls (`JSON.parse(x)`,
 * `arr.map(f)`, `print("hi")`) passes. Deployments with such forms can exempt the field.
 *
 * Values arrive decoded (URL, entities, JS escapes). Base64 is not among the caller's decodings,
 * but CRS decodes it for Node.js payloads in cookies: a value that is entirely base64 and decodes
 * to printable text is judged decoded too (confidence − 0.05).
 *
 * Cost: one pass over the char codes (chars.ts) decides which rules can match at all (a call
 * needs `(`, a tag `<?`, …); a second pass (keys.ts) finds the key words the remaining rules need
 * (`process`, `eval`, `base64_decode`, …), so a regex runs only where its rule can match. A value
 * with none of the rules' characters (words, numbers, most ids) costs a few ns a character. Every
 * regex is linear (bounded repetitions whose alternatives start with distinct characters; checked
 * on pathological inputs by the tests). At most the first and the last SCAN_LIMIT characters are read.
 *
 * Not covered (documented gaps): `${name}` alone (a template placeholder; CRS 933135 flags it),
 * php.ini directives with everyday names (`engine=`, `precision=`, `smtp=`), obfuscation that splits
 * a name with nested calls (`(sy.(st).em)(…)`), fuzzy superglobals (`$_S ERVER`), backticks
 * (the cmdi detector's). Upload file names (`shell.php`, `sess_<id>`) are the separate
 * {@link phpUpload} detector's, scoped to file-name inputs.
 */
export const SCAN_LIMIT = 4096;

/** The rules' regexes: a non-global one to probe with (most values match nothing), a global one to walk matches. */
const PROBES: readonly RegExp[] = RULES.map((r) => new RegExp(r.re.source, r.re.flags.replace('g', '')));
const WALKERS: readonly RegExp[] = RULES.map((r) => new RegExp(r.re.source, r.re.flags.includes('g') ? r.re.flags : `${r.re.flags}g`));
/** The rules' gates as plain ints (a tight loop with no object reads). */
const ALL_BITS = Int32Array.from(RULES, (r) => r.all);
const ANY_BITS = Int32Array.from(RULES, (r) => r.any ?? -1);
const KEYS = keyIndex(RULES.map((r) => r.keys));

/** Shortest base64 value worth decoding (a payload is longer than this). */
const MIN_BASE64 = 16;
const BASE64_ONLY = /^[A-Za-z0-9+/=_\-\r\n]+$/;

export const code: Detector = {
  id: 'code',
  detect(value: string): Detection | undefined {
    return scan(value, true);
  },
};

/** The same rules on every value, with no character gate: the reference for differential tests of the pre-check. */
export function detectExhaustive(value: string): Detection | undefined {
  return scan(value, false);
}

function scan(value: string, gated: boolean): Detection | undefined {
  if (value.length <= SCAN_LIMIT) return detectWindow(value, gated, true);
  const head = detectWindow(value.slice(0, SCAN_LIMIT), gated, true);
  if (head && (head.paranoia ?? 1) === 1) return head;
  return better(head, detectWindow(value.slice(value.length - SCAN_LIMIT), gated, true));
}

function detectWindow(v: string, gated: boolean, base64: boolean): Detection | undefined {
  const mask = gated ? charMask(v) : ALL;
  const found = gated && (mask & ~NOT_BASE64) === 0 ? undefined : matchRules(v, mask, gated);
  if (found && (found.paranoia ?? 1) === 1) return found;
  const decoded = base64 && (gated ? (mask & NOT_BASE64) === 0 : BASE64_ONLY.test(v)) ? fromBase64(v, gated) : undefined;
  return better(better(found, decoded), base64 ? fromDataUrl(v, gated) : undefined);
}

/** A value that is wholly base64 of printable text, judged as that text. */
function fromBase64(v: string, gated: boolean): Detection | undefined {
  if (v.length < MIN_BASE64) return undefined;
  // Word-like values (`processes`, `user_name`) are not encodings: base64 text mixes case and digits.
  if (!/[A-Z]/.test(v) || !/[a-z]/.test(v)) return undefined;
  const text = Buffer.from(v.replace(/[\r\n]/g, '').replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('latin1');
  if (text.length < 8) return undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 126 || (c < 32 && c !== 9 && c !== 10 && c !== 13)) return undefined;
  }
  // The caller's decodings ran before: JS escapes inside the encoded text are undone here.
  const d = detectWindow(text.includes('\\') ? decodeEscapes(text) : text, gated, false);
  return d ? { ...d, confidence: Math.round((d.confidence - 0.05) * 100) / 100 } : undefined;
}

/** `data:…;base64,PD9waHAg…` (an include or stream wrapper's payload): its data judged as text. */
function fromDataUrl(v: string, gated: boolean): Detection | undefined {
  const at = v.indexOf(';base64,');
  if (at < 0) return undefined;
  const scheme = v.lastIndexOf('data:', at);
  if (scheme < 0 || at - scheme > 96) return undefined;
  const run = /^[A-Za-z0-9+/=_-]+/.exec(v.slice(at + 8, at + 8 + SCAN_LIMIT))?.[0];
  return run ? fromBase64(run, gated) : undefined;
}

/** The finding that counts at the lower paranoia level, then the surer one. */
function better(a: Detection | undefined, b: Detection | undefined): Detection | undefined {
  if (!a) return b;
  if (!b) return a;
  const pa = a.paranoia ?? 1;
  const pb = b.paranoia ?? 1;
  if (pa !== pb) return pa < pb ? a : b;
  return b.confidence > a.confidence ? b : a;
}

function matchRules(v: string, mask: number, gated: boolean): Detection | undefined {
  let best: Detection | undefined;
  let keys = -1; // the keys found, computed when a keyed rule first passes the character gate
  for (let i = 0; i < RULES.length; i++) {
    if ((mask & ALL_BITS[i]!) !== ALL_BITS[i] || (mask & ANY_BITS[i]!) === 0) continue;
    const kb = KEYS.ruleBits[i]!;
    if (kb !== 0 && gated) {
      if (keys === -1) keys = KEYS.scan(v);
      if ((keys & kb) === 0) continue;
    }
    const rule = RULES[i]!;
    let d: Detection | undefined;
    if (rule.find) {
      const hit = rule.find(v);
      d = hit ? finding(rule.reason, rule.confidence, rule.paranoia, hit.text) : undefined;
    } else if (PROBES[i]!.test(v)) {
      d = matchRule(v, rule, WALKERS[i]!);
    }
    if (!d) continue;
    const b = better(best, d) ?? d;
    if ((b.paranoia ?? 1) === 1 && b.confidence >= 0.85) return b;
    best = b;
  }
  return best;
}

function matchRule(v: string, rule: Rule, re: RegExp): Detection | undefined {
  re.lastIndex = 0;
  let weak: Detection | undefined;
  for (let m = re.exec(v); m !== null; m = re.exec(v)) {
    if (m[0] === '') {
      re.lastIndex++;
      continue;
    }
    if (!rule.accept || rule.accept(v, m)) return finding(rule.reason, rule.confidence, rule.paranoia, m[0]);
    if (rule.weak && !weak) weak = finding(rule.reason, rule.weak.confidence, rule.weak.paranoia, m[0]);
    // The next match may start inside this one (`system(system('id'))`).
    re.lastIndex = m.index + 1;
  }
  return weak;
}

function finding(reason: string, confidence: number, paranoia: 2 | 3 | undefined, text: string): Detection {
  const fragment = text.trim().slice(0, 64) || text.slice(0, 64);
  return paranoia ? { detector: 'code', confidence, fragment, reason, paranoia } : { detector: 'code', confidence, fragment, reason };
}

export { phpUpload } from './upload.js';
