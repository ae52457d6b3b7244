import type { Detection } from '../types.js';
import { scanContexts, scanContextsExhaustive } from './contexts.js';
import { decode, decodeEveryChar } from './decode.js';
import { better, scanMarkup } from './markup.js';

/**
 * XSS as structure, at paranoia level 1. A value is an attack when, once decoded the way a browser
 * would decode it, it carries (a) a tag that runs script by itself (`<script`, `<iframe`, `<svg`,
 * `<object`, …), (b) any tag, known or custom, with an event handler, a script/data URL, `srcdoc`
 * or script-running CSS, or (c) a breakout from an attribute, URL, style or script context.
 *
 * Decided, not accidental: plain formatting tags without handlers or URLs (`<b>`, `<i>`, `<p>`,
 * `<a href="https://…">`) are NOT XSS at level 1 — rich-text fields carry them and a sanitiser
 * downstream is the right control. Text with `<` not followed by a letter is text.
 */

/** Findings below this are not reported: the detector's threshold for "attack". */
export const MIN_CONFIDENCE = 0.5;

/**
 * Only the first MiB is judged: every step is linear, this bounds the worst case (a body limit
 * applies long before). A payload hidden after 1 MiB of padding is a known, documented gap.
 */
const MAX_INPUT = 1 << 20;

/**
 * Cheap pre-check: no character that any rule anchors on, no attack. Most benign values stop here. The
 * rest are spellings without that punctuation: a page property read bare (`window.location`), UTF-7's
 * `+ADw-` and the US-ASCII `¼`.
 */
const ANCHOR = /[<>"'`=&\\{:([*\u00bc]|\.\s{0,4}(?:cookie|domain|location)|\+ad[w4]/i;

/**
 * Spellings of `<`, `>` and quotes that some back ends fold to ASCII before the browser sees
 * them: fullwidth forms (NFKC, "best fit" code-page mapping) and UTF-7 (`+ADw-script+AD4-`).
 */
const LOOKALIKE = /[\uff1c\uff1e\uff02\uff07]|\+ad[w4]-?/g;
const FOLDED: Readonly<Record<string, string>> = { '\uff1c': '<', '\uff1e': '>', '\uff02': '"', '\uff07': "'" };

function foldLookalikes(s: string): string {
  return s.replace(LOOKALIKE, (m) => FOLDED[m] ?? (m.charAt(3) === 'w' ? '<' : '>'));
}

function fragmentAt(s: string, at: number): string {
  return s.slice(Math.max(0, at), Math.max(0, at) + 64);
}

export function scan(value: string): Detection | undefined {
  return scanWith(value, true);
}

/** {@link scan} with decoding and the context rules on their reference paths (no jumps, masks or shared gates): for the differential tests. */
export function scanExhaustive(value: string): Detection | undefined {
  return scanWith(value, false);
}

function scanWith(value: string, fast: boolean): Detection | undefined {
  const input = value.length > MAX_INPUT ? value.slice(0, MAX_INPUT) : value;
  if (!ANCHOR.test(input)) return undefined;
  // NUL is dropped: old engines skipped it inside names and schemes (`<scr\0ipt>`, `java\0script:`).
  // CDATA markers are dropped too: `<![CDATA[<]]>script>` reads as `<script>` to XML-ish parsers.
  const text = foldLookalikes((fast ? decode : decodeEveryChar)(input).replace(/\0/g, '').toLowerCase().replace(/<!\[cdata\[|\]\]>/g, ''));
  const markup = scanMarkup(text);
  const contexts = markup && markup.confidence >= 0.9 && markup.paranoia === undefined ? undefined : (fast ? scanContexts : scanContextsExhaustive)(text);
  const best = better(markup, contexts);
  if (!best || best.confidence < MIN_CONFIDENCE) return undefined;
  const found: Detection = { detector: 'xss', confidence: best.confidence, fragment: fragmentAt(text, best.at), reason: best.reason };
  if (best.paranoia !== undefined) found.paranoia = best.paranoia;
  return found;
}
