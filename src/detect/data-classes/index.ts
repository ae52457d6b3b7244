/**
 * Sensitive-data classifier: finds and masks personal data and secrets in text and in parsed
 * JSON. Pure and dependency-free (Node built-ins only); used by response filtering and discovery.
 *
 * Rules (each detector module documents its own):
 * - Every match is a shape plus a validator: Luhn and issuer prefix/length for cards, MOD 97 and
 *   the registry length for IBANs, SSN area/group/serial rules, check letters and the 11-test for
 *   Spanish and Dutch ids, a JSON header with `alg` for JWTs, `node:net` for IPv6.
 * - A match is a whole token: no ASCII letter or digit may touch it, a run of digits is never cut
 *   (a 20-digit number holds no card), and a number continuing as `.5` / `-7` is not one.
 * - Shapes that are common on their own need context (keyword before it, or the JSON member
 *   name): bare 9-digit SSNs, Dutch BSNs, AWS secret access keys. Phones need a `+`, brackets or
 *   separators. Bare hex digests are never password hashes. A four-part dotted number is an IPv4
 *   address unless a version word or a `version`-like member name goes with it.
 * - Masks keep nothing secret: `[email]`, `[jwt]`, …; a card keeps its last four digits.
 *
 * - Overlaps: leftmost, then longest, wins; a loser's uncovered tail is kept, so masking every
 *   match never leaves part of a value in clear.
 *
 * Speed: one pass over each text counts what the shapes need (profile.ts), and each detector
 * first rules the text out when it cannot match (`Detector.mayMatch`: no `@`, too few digits in
 * a run, no `$`, …), so most JSON leaves cost that pass only. The checks never change a result
 * (prefilter.test.ts compares both paths; `prefilter: false` turns them off).
 *
 * Limits: no regex quantifies a group; each is literal- or class-led with bounded repetition, or
 * one greedy class whose run is then parsed in code (keyword regexes see a 40-character window),
 * so time is linear in the input (tested on 1 MB adversarial strings). At most 1000 matches per
 * class and text; beyond that, and beyond the node and string caps of the JSON walk, results say
 * `truncated` and callers must not treat the value as clean. ASCII only (no full-width digits,
 * no internationalised addresses); URL- or base64-encoded values are not decoded.
 */
export type { DataClass, DataMatch, ScanContext } from './types.js';
export { DATA_CLASSES } from './types.js';
export { findDataClasses, scanText, DEFAULT_MAX_MATCHES } from './find.js';
export type { TextScan, TextScanOptions } from './find.js';
export { maskText, maskValue } from './mask.js';
export { scanJsonValue, maskJsonValue, MAX_REPORTED_PATHS, DEFAULT_MAX_STRING_LENGTH } from './scan-json.js';
export type { JsonScanOptions, JsonScan, JsonMask, JsonFinding } from './scan-json.js';
