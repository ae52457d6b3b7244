import { compact } from './decode.js';
import type { Finding } from './markup.js';

/**
 * Attacks that need no new tag because the value lands inside an existing one: an attribute
 * value (`" onmouseover="…`), a URL attribute (`javascript:…`), a style (`expression(`), or a
 * script block (`';alert(1)//`, `${…}`). Each pattern is anchored on a structural character (a
 * quote, `=`, `${`) and every repetition is bounded (`{0,40}`, not `*`), so the work per starting
 * position is a constant and a scan stays linear in the value's length (the tests time 1 MiB inputs).
 */
interface Rule {
  pattern: RegExp;
  confidence: number;
  reason: string;
  /** Run on the whitespace-free form (schemes and CSS, where browsers ignore whitespace). */
  flat?: boolean;
  /** A match whose text from the match on (up to 80 characters, after the anchor) fits this is harmless. */
  inert?: RegExp;
}

/**
 * A JavaScript call: `name(`, `a.b.c(`, `x['y'](`, or a tagged template ``alert`1` `` (letters only
 * before the backtick: random tokens such as bot-sensor blobs are full of backticks).
 */
const ID_CHAIN = String.raw`[a-z_$][\w$]{0,40}(?:\s{0,4}(?:\.\s{0,4}[a-z_$][\w$]{0,40}|\[[^\]\n]{0,40}\])){0,6}`;
const CALL = String.raw`(?:${ID_CHAIN}\s{0,4}\(|[a-z][a-z.]{1,40}\x60)`;

/** An assignment to a property: `document.cookie=`, `location.href =`, `top['x']=` (not `==`). */
const PROP_ASSIGN = String.raw`[a-z_$][\w$]{0,40}(?:\s{0,4}(?:\.\s{0,4}[a-z_$][\w$]{0,40}|\[[^\]\n]{0,40}\])){1,6}\s{0,4}=(?!=)`;

// Up to three comments between two tokens of an expression: self /*a*/ [ /*b*/ "x"].
const GAP = String.raw`(?:\/\*[^*]{0,40}\*\/\s{0,8}){0,3}`;

/** A script URL whose body does nothing: `javascript:void(0)`, `javascript:;`, `javascript://`. Sites send these as link targets. */
const INERT_SCRIPT_URL = /^(?:javascript|vbscript):(?:void(?:\(0\)|0)|\/\/)?;?(?:["'`)]|$)/;

const RULES: readonly Rule[] = [
  // A quote closes the attribute value, then (after a few ordinary attributes) a handler: `" onfocus=alert(1) autofocus "`,
  // `" type=image src=x onerror=…`.
  {
    // Each skipped attribute must end at a separator (the lookahead), so there is one way to split them: no blow-up.
    // An apostrophe glued between letters is French/Italian elision (`l'onboarding=`), not a closing quote.
    pattern: /(?:["`]|(?<![a-z])'|'(?=[\s/]))(?:[\s/]{0,8}[a-z][\w-]{0,20}(?:=[^\s"'`<>]{0,60})?(?=[\s/])){0,4}[\s/]{0,8}on[a-z]{3,24}[\s\x00]{0,4}=/,
    confidence: 0.85,
    reason: 'attribute-breakout',
  },
  // The same breakout into an attribute that loads or submits elsewhere: `" formaction=//x`, `' srcdoc=<script>…`.
  { pattern: /(?:["`]|(?<![a-z])'|'(?=[\s/]))[\s/]{0,8}(?:formaction|srcdoc)\s{0,4}=/, confidence: 0.8, reason: 'attribute-breakout' },
  // An unquoted value gains a handler whose value calls something or chains statements: `x onmouseover=alert(1)`, `onerror=alert;throw 1`.
  {
    pattern: new RegExp(String.raw`(?:^|[\s/;+])on[a-z]{3,24}\s{0,4}=\s{0,4}["'\x60]?\s{0,4}(?:` + CALL + String.raw`|[a-z_$][\w$.]{0,40};)`),
    confidence: 0.75,
    reason: 'event-handler',
  },
  // A URL attribute given a script scheme, at the value's start or after `=`/`(`/a quote; the rest must look like code.
  { pattern: /(?:^|[=("'`,:])(?:javascript|vbscript|livescript|mocha):.{0,64}?[()`=[\];.\\%/]/, confidence: 0.85, reason: 'script-url', flat: true, inert: INERT_SCRIPT_URL },
  // data: URLs that render a document or run as script (an SVG image does neither: `<img>` and CSS sandbox it).
  { pattern: /(?:^|[=("'`,])data:(?:text\/(?:html|xml|javascript)|application\/(?:x-)?(?:javascript|ecmascript|xhtml\+xml))[;,]/, confidence: 0.8, reason: 'data-url', flat: true },
  // CSS that runs script: IE's expression(), behaviour files, XBL bindings.
  // Anchored on the property's `:` (or a quote/brace) on the flat form; a value that *is* `expression(` must have no
  // gap before the parenthesis, so prose such as `expression (math)` stays text.
  { pattern: /[:=("'`;{](?:expression\(|behaviou?r:url\(|-moz-binding:url\()/, confidence: 0.8, reason: 'css-script', flat: true },
  // A CSS property whose url() is a script URL (`background:url(javascript:…)`, `x:url(javascript`): no image is ever loaded that way.
  { pattern: /[a-z-]:url\(["'`]?(?:javascript|vbscript)(?![a-z])/, confidence: 0.8, reason: 'css-script', flat: true },
  { pattern: /^\s{0,8}(?:expression\(|behaviou?r\s{0,4}:\s{0,4}url\(|-moz-binding\s{0,4}:\s{0,4}url\()/, confidence: 0.8, reason: 'css-script' },
  // A quote closes a JS string, an operator joins a call, and a comment or a new string hides the rest: `';alert(1)//`, `'-alert(1)-'`.
  {
    // A `//` right after `:` or a quote starts a URL, not a comment.
    // The joiner is an operator, or a closing bracket alone (`'}alert(1);{'`). The call may be a property
    // assignment instead (`';document.location='//x'+…//`). A bare end of value only counts after `;` (`';go(1)`),
    // so prose like `it's a 'test' - run(1)` stays text.
    pattern: new RegExp(
      String.raw`["'\x60]\s{0,4}(?:[)\]}]{1,4}\s{0,4}[;+\-*/|&,^%?:]?|[;+\-*/|&,^%?:])\s{0,4}(?:new\s+|void\s+|typeof\s+)?(?:` + CALL + '|' + PROP_ASSIGN + ')' +
        String.raw`[^\n]{0,120}?(?:(?<![:"'\x60])\/\/|<!--|[)\x60]\s{0,4}(?:[;+\-*/|&,^%]\s{0,4})?["'\x60]|[)\x60]\s{0,4};\s{0,4}(?:\{\s{0,4}["'\x60]|$))`,
    ),
    confidence: 0.8,
    reason: 'js-string-breakout',
  },
  // A template literal substitution, or an Angular-style expression, that calls something.
  // The substitution must open with the call and close after it: `${alert(1)}`, `${a.b('x')()}`.
  { pattern: new RegExp(String.raw`\$\{\s{0,4}(?:new\s+)?` + CALL + String.raw`[^{}\n]{0,80}\}`), confidence: 0.75, reason: 'template-injection' },
  { pattern: /\{\{[^}\n]{0,80}?(?:constructor|\$eval|\$on|__proto__)/, confidence: 0.8, reason: 'template-injection' },
  // A function invoked through a tagged template, the parenthesis-free call: ``[].sort.call`${alert}1` ``.
  { pattern: /\.\s{0,4}(?:call|apply|bind)\s{0,4}`/, confidence: 0.75, reason: 'tagged-template-call' },
  // JSFuck-style code built from `[]()!+` only: nothing else is made of long runs of those six characters.
  { pattern: /(?:[[\]()!+]\s{0,2}){40}/, confidence: 0.8, reason: 'jsfuck' },
  // A browser global read by a computed key, the filter-dodging spelling of `alert`/`document.cookie`:
  // `window["alert"](…)`, `self[/*x*/"document"]`, `(document)["cookie"]`. Comments may pad every gap.
  {
    pattern: new RegExp(String.raw`(?:^|[^\w$.])(?:window|self|top|parent|frames|globalthis|document)\s{0,8}` + GAP + String.raw`\)?\s{0,8}\[\s{0,8}` + GAP + String.raw`["'\x60]`),
    confidence: 0.8,
    reason: 'js-global-access',
  },
  // A member access split by comments (document /*x*/ . cookie), which only code, never prose, contains.
  { pattern: new RegExp(String.raw`(?:^|[^\w$.])(?:window|self|document)\s{0,8}(?:\/\*[^*]{0,40}\*\/\s{0,8}){1,3}\.`), confidence: 0.8, reason: 'js-global-access' },
  // The script sinks an injection calls to prove itself: `alert()`, `eval('…')`, `setInterval(code, 1)`, `new Function(…)`.
  // The ones that are also words (`eval`, `alert`, `prompt`, `confirm`) only glued to the parenthesis: `please confirm (yes/no)` is prose.
  { pattern: /(?:^|[^\w$.])(?:(?:settimeout|setinterval|atob|btoa)\s{0,4}|eval|alert|prompt|confirm)\(|(?:^|[^\w$.])new\s{1,4}function\(/, confidence: 0.7, reason: 'script-sink-call' },
  // Netscape's JavaScript entity `&{expr};`: no benign text has `&{` followed by code and `}`.
  { pattern: new RegExp(String.raw`&\{\s{0,4}[(]{0,4}` + CALL + String.raw`[^{}\n]{0,80}\};?`), confidence: 0.6, reason: 'js-entity' },
];

function isInert(rule: Rule, text: string, m: RegExpExecArray): boolean {
  if (!rule.inert) return false;
  const lead = /^[=("'`,:]/.test(m[0]) ? 1 : 0;
  return rule.inert.test(text.slice(m.index + lead, m.index + lead + 80));
}

/** A script scheme at the start of a URL value: where `javascript:` runs. */
const SCRIPT_SCHEME_START = /(?:^|[\s=("'`,:])(?:javascript|vbscript|livescript):/;

/** The strongest context finding in `s` (decoded, lower-cased). */
export function scanContexts(s: string): Finding | undefined {
  let flat: string | undefined;
  let best: Finding | undefined;
  // A script scheme spelled across tabs or newlines (`ja&tab;vascript:`): URL parsers drop those characters
  // before reading the scheme, so the split itself is the evasion, whatever follows it.
  if (/[\t\n\r]/.test(s)) {
    const joined = s.replace(/[\t\n\r]+/g, '');
    if (SCRIPT_SCHEME_START.test(joined) && !SCRIPT_SCHEME_START.test(s)) best = { confidence: 0.85, reason: 'obfuscated-script-url', at: 0 };
  }
  for (const rule of RULES) {
    if (best && best.confidence >= rule.confidence) continue;
    const text = rule.flat ? (flat ??= compact(s)) : s;
    const m = rule.pattern.exec(text);
    if (!m || isInert(rule, text, m)) continue;
    // On the flat form the index is approximate; it only positions the reported fragment.
    best = { confidence: rule.confidence, reason: rule.reason, at: Math.min(m.index, s.length - 1) };
  }
  return best;
}
