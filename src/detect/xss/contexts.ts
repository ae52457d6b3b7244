import { compact, compactAll } from './decode.js';
import { better, type Finding } from './markup.js';

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
  /** The least paranoia level at which the finding counts; 1 when absent. */
  paranoia?: 2 | 3 | 4;
  /** A value in which this matches anywhere is not this rule's. */
  unless?: RegExp;
  /** Literal text the pattern cannot match without (any one of them): checked with `includes` before the regex runs. */
  gate?: readonly string[];
  /**
   * Punctuation the rule cannot match without, checked against a one-pass character mask before the
   * gate and the regex: each string is a group of which at least one character must occur (`['"\'`', '=']`:
   * a quote and an `=`). Every listed character is a mandatory literal of every alternative of the
   * pattern (or of the gate), so skipping on a missing one never hides a match; the differential test
   * against {@link scanContextsExhaustive} holds that.
   */
  needs?: readonly string[];
}

const QUOTES = ['"', "'", '`'] as const;
/** Gates several rules share: one `includes` answer serves them all. */
const ON = ['on'] as const;
const DATA = ['data:'] as const;
const EMPTY_ARRAY = ['[]'] as const;
/** A `needs` group: any one of the three quotes. */
const Q = '"\'`';

/** The punctuation `needs` may name, one bit each. */
const MASK_CHARS = '"\'`=();:${}.[]/*\\,!&->';
const BIT = new Int32Array(128);
for (let i = 0; i < MASK_CHARS.length; i++) BIT[MASK_CHARS.charCodeAt(i)] = 1 << i;
const BACKSLASH = 1 << MASK_CHARS.indexOf('\\');

/** The bits of the mask punctuation that occurs in `s`: one pass, no allocation. */
function charMask(s: string): number {
  let m = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 128) m |= BIT[c]!;
  }
  return m;
}

/** A rule's `needs` as bit groups: every group must meet the text's mask. */
function needMasks(needs: readonly string[] | undefined): readonly number[] {
  return (needs ?? []).map((group) => {
    let m = 0;
    for (const c of group) {
      const bit = BIT[c.charCodeAt(0)] ?? 0;
      if (bit === 0) throw new Error(`xss: '${c}' is not a mask character`);
      m |= bit;
    }
    return m;
  });
}
const GLOBAL_WORDS = ['document', 'window', 'self', 'top', 'parent', 'opener', 'frames', 'globalthis'] as const;

function hasAny(text: string, words: readonly string[]): boolean {
  for (const w of words) if (text.includes(w)) return true;
  return false;
}

/**
 * A JavaScript call: `name(`, `a.b.c(`, `x['y'](`, or a tagged template ``alert`1` `` (letters only
 * before the backtick: random tokens such as bot-sensor blobs are full of backticks).
 */
const ID_CHAIN = String.raw`[a-z_$][\w$]{0,40}(?:\s{0,4}(?:\.\s{0,4}[a-z_$][\w$]{0,40}|\[[^\]\n]{0,40}\])){0,6}`;
const CALL = String.raw`(?:${ID_CHAIN}\s{0,4}\(|[a-z][a-z.]{1,40}\x60)`;

/** An assignment to a property: `document.cookie=`, `location.href =`, `top['x']=` (not `==`). */
const PROP_ASSIGN = String.raw`[a-z_$][\w$]{0,40}(?:\s{0,4}(?:\.\s{0,4}[a-z_$][\w$]{0,40}|\[[^\]\n]{0,40}\])){1,6}\s{0,4}=(?!=)`;

/** The browser globals an injected script reaches the page through. */
const GLOBAL = String.raw`(?:^|[^\w$.])(?:document|window|self|top|parent|opener|frames|globalthis)\s{0,4}\.\s{0,4}`;
/** One argument list, with at most one level of nested parentheses: `(x)`, `(a(b), "c")`. The two branches never overlap. */
const ARGS = String.raw`\((?:[^()\n]|\([^()\n]{0,80}\)){0,120}\)`;

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
    pattern: /(?:["`]|(?<![a-z])'|'(?=[\s/]))(?:[\s/]{0,8}[a-z][\w-]{0,20}(?:=[^\s"'`<>]{0,60})?(?=[\s/])){0,4}[\s/]{0,8}on[a-z]{3,50}[\s\x00]{0,4}=/,
    confidence: 0.85,
    reason: 'attribute-breakout', gate: ON, needs: [Q, '='],
  },
  // The same breakout into an attribute that loads or submits elsewhere: `" formaction=//x`, `' srcdoc=<script>…`.
  { pattern: /(?:["`]|(?<![a-z])'|'(?=[\s/]))[\s/]{0,8}(?:formaction|srcdoc)\s{0,4}=/, confidence: 0.8, reason: 'attribute-breakout', gate: ['formaction', 'srcdoc'], needs: [Q, '='] },
  // An unquoted value gains a handler whose value calls something or chains statements: `x onmouseover=alert(1)`, `onerror=alert;throw 1`.
  {
    pattern: new RegExp(String.raw`(?:^|[\s/;+])on[a-z]{3,50}\s{0,4}=\s{0,4}["'\x60]?\s{0,4}(?:` + CALL + String.raw`|[a-z_$][\w$.]{0,40};)`),
    confidence: 0.75,
    reason: 'event-handler', gate: ON, needs: ['=', '(`;'],
  },
  // A URL attribute given a script scheme, at the value's start or after `=`/`(`/a quote; the rest must look like code.
  { pattern: /(?:^|[=("'`,:])(?:javascript|vbscript|livescript|mocha):.{0,64}?[()`=[\];.\\%/]/, confidence: 0.85, reason: 'script-url', gate: ['script:', 'mocha:'], needs: [':'], flat: true, inert: INERT_SCRIPT_URL },
  // data: URLs that render a document or run as script (an SVG image does neither: `<img>` and CSS sandbox it).
  { pattern: /(?:^|[=("'`,])data:(?:text\/(?:html|xml|javascript)|application\/(?:x-)?(?:javascript|ecmascript|xhtml\+xml))[;,]/, confidence: 0.8, reason: 'data-url', gate: DATA, needs: [':', '/', ';,'], flat: true },
  // CSS that runs script: IE's expression(), behaviour files, XBL bindings.
  // Anchored on the property's `:` (or a quote/brace) on the flat form; a value that *is* `expression(` must have no
  // gap before the parenthesis, so prose such as `expression (math)` stays text.
  { pattern: /[:=("'`;{](?:expression\(|behaviou?r:url\(|-moz-binding:url\()/, confidence: 0.8, reason: 'css-script', gate: ['expression(', 'behavior:', 'behaviour:', 'binding:'], needs: ['('], flat: true },
  // A CSS property whose url() is a script URL (`background:url(javascript:…)`, `x:url(javascript`): no image is ever loaded that way.
  { pattern: /[a-z-]:url\(["'`]?(?:javascript|vbscript)(?![a-z])/, confidence: 0.8, reason: 'css-script', gate: ['url('], needs: [':', '('], flat: true },
  { pattern: /^\s{0,8}(?:expression\(|behaviou?r\s{0,4}:\s{0,4}url\(|-moz-binding\s{0,4}:\s{0,4}url\()/, confidence: 0.8, reason: 'css-script', gate: ['expression', 'behavio', 'binding'], needs: ['('] },
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
    reason: 'js-string-breakout', gate: QUOTES, needs: [Q, '(`='],
  },
  // A template literal substitution, or an Angular-style expression, that calls something.
  // The substitution must open with the call and close after it: `${alert(1)}`, `${a.b('x')()}`.
  { pattern: new RegExp(String.raw`\$\{\s{0,4}(?:new\s+)?` + CALL + String.raw`[^{}\n]{0,80}\}`), confidence: 0.75, reason: 'template-injection', gate: ['${'], needs: ['$', '{', '}', '(`'] },
  { pattern: /\{\{[^}\n]{0,80}?(?:constructor|\$eval|\$on|__proto__)/, confidence: 0.8, reason: 'template-injection', gate: ['{{'], needs: ['{'] },
  // A function invoked through a tagged template, the parenthesis-free call: ``[].sort.call`${alert}1` ``.
  { pattern: /\.\s{0,4}(?:call|apply|bind)\s{0,4}`/, confidence: 0.75, reason: 'tagged-template-call', gate: ['`'], needs: ['.', '`'] },
  // JSFuck-style code built from `[]()!+` only: nothing else is made of long runs of those six characters.
  { pattern: /(?:[[\]()!+]\s{0,2}){40}/, confidence: 0.8, reason: 'jsfuck', gate: EMPTY_ARRAY, needs: ['[', ']'] },
  // A browser global read by a computed key, the filter-dodging spelling of `alert`/`document.cookie`:
  // `window["alert"](…)`, `self[/*x*/"document"]`, `(document)["cookie"]`. Comments may pad every gap.
  {
    pattern: new RegExp(String.raw`(?:^|[^\w$.])(?:window|self|top|parent|frames|globalthis|document)\s{0,8}` + GAP + String.raw`\)?\s{0,8}\[\s{0,8}` + GAP + String.raw`["'\x60]`),
    confidence: 0.8,
    reason: 'js-global-access', gate: ['['], needs: ['[', Q],
  },
  // A member access split by comments (document /*x*/ . cookie), which only code, never prose, contains.
  { pattern: new RegExp(String.raw`(?:^|[^\w$.])(?:window|self|document)\s{0,8}(?:\/\*[^*]{0,40}\*\/\s{0,8}){1,3}\.`), confidence: 0.8, reason: 'js-global-access', gate: ['/*'], needs: ['/', '*', '.'] },
  // The script sinks an injection calls to prove itself: `alert()`, `eval('…')`, `setInterval(code, 1)`, `new Function(…)`.
  // The ones that are also words (`eval`, `alert`, `prompt`, `confirm`) only glued to the parenthesis: `please confirm (yes/no)` is prose.
  { pattern: /(?:^|[^\w$.])(?:(?:settimeout|setinterval|atob|btoa)\s{0,4}|eval|alert|prompt|confirm)\(|(?:^|[^\w$.])new\s{1,4}function\(/, confidence: 0.7, reason: 'script-sink-call', gate: ['('], needs: ['('] },
  // A handler attribute with nothing or a quoted value after `=`, led by whitespace, a quote or a slash: the probe
  // that an unquoted or just-closed attribute takes new attributes (`  onload= `, ` onfocus="`). A word glued to
  // the left (`v1=…51onabcd=`, `l'onboarding=`) is not an attribute boundary.
  { pattern: /(?:^|[\s/"'\x60])on[a-z]{3,50}[\s\x00]{0,4}=\s{0,4}(?:["'\x60]|$)/, confidence: 0.6, reason: 'event-handler', gate: ON, needs: ['='] },
  // A script URL whose body starts with an escape (`javascript:\u0061lert(1)`, `javascript: \x61…`): code, never a title.
  { pattern: /(?:^|[\s=("'\x60,:])(?:javascript|vbscript):\s{0,8}\\/, confidence: 0.8, reason: 'script-url', gate: ['script:'], needs: [':', '\\'] },
  // A data: URL that is not media and whose body is markup or a call: `data:,<svg onload=…>` as a frame, `data:,alert(1)` as a
  // script source. Without a type a data URL is text, which a script element runs and a frame renders.
  {
    pattern: new RegExp(String.raw`(?:^|[=("'\x60,])data:(?!(?:image|audio|video|font)\/)[^,]{0,60},(?:<[a-z!/]|` + CALL + ')'),
    confidence: 0.7,
    reason: 'data-url', gate: DATA, needs: [':', ','],
    flat: true,
  },
  // The page's secrets and address read as a value (`alert(document.domain)`, `'+document.cookie`, a bare `window.location`):
  // what an injected script exfiltrates or shows. A method call on it (`document.cookie.indexOf(`) or an assignment to it
  // is a page's own code, which benign values quote.
  { pattern: new RegExp(GLOBAL + String.raw`(?:cookie|domain|location)(?![\w$]|\s{0,4}(?:\.|\[|=(?!=)))`), confidence: 0.65, reason: 'dom-property', gate: ['cookie', 'domain', 'location'], needs: ['.'] },
  // A DOM lookup or creation whose result is written to: `document.querySelector("p").textContent="x"`,
  // `document.body.appendChild(document.createElement("h1")).textContent = …` — defacement, or markup injected through the DOM.
  {
    pattern: new RegExp(GLOBAL + String.raw`[a-z_$][\w$.]{0,60}\s{0,4}` + ARGS + String.raw`(?:\s{0,4}\.\s{0,4}[a-z_$][\w$]{0,40}){1,4}\s{0,4}=(?!=)`),
    confidence: 0.7,
    reason: 'dom-write', gate: GLOBAL_WORDS, needs: ['.', '(', ')', '='],
  },
  // The HTML sinks: `x.innerHTML = …`, `el.insertAdjacentHTML(…)`, `document.write(…)`.
  { pattern: new RegExp(String.raw`\.\s{0,4}(?:inner|outer)html\s{0,4}=(?!=)|\.\s{0,4}insertadjacenthtml\s{0,4}\(|` + GLOBAL + String.raw`write(?:ln)?\s{0,4}\(`), confidence: 0.7, reason: 'dom-sink', gate: ['html', 'write'], needs: ['.', '=('] },
  // JSFuck's primitives: a boolean made of an empty array (`!![]`, `!+[]`; `! []` once a form decodes `+` as a space).
  // A bare `![]` is not enough: Markdown writes images as `![](…)`.
  // In JSFuck a `!` follows an operator or a bracket, never a word or a closing mark (`Great! []` is prose).
  { pattern: /(?<![\w)\].,;:?'"])!(?:[!+]|\s)\s{0,2}\[\]/, confidence: 0.75, reason: 'jsfuck', gate: EMPTY_ARRAY, needs: ['!', '[', ']'] },
  // Tags spelled with ¼ and ¾, which a US-ASCII (7-bit) reading turns into `<` and `>`: an element opened and closed that way.
  { pattern: /\u00bc[a-z][a-z0-9]{0,20}[^\u00bc\u00be<>\n]{0,60}\u00be[^]{0,400}?\u00bc\/[a-z][a-z0-9]{0,20}\s{0,4}\u00be/, confidence: 0.7, reason: 'us-ascii-markup', gate: ['\u00bc'], needs: ['/'] },
  // Netscape's JavaScript entity `&{expr};`: no benign text has `&{` followed by code and `}`.
  { pattern: new RegExp(String.raw`&\{\s{0,4}[(]{0,4}` + CALL + String.raw`[^{}\n]{0,80}\};?`), confidence: 0.6, reason: 'js-entity', gate: ['&{'], needs: ['&', '{', '}', '(`'] },
  // Paranoia 2: a value that closes an HTML comment (`-->`, alone or glued to a quote or a tag), the way out of a
  // comment context. Arrows in prose (`a --> b`) have a space on both sides.
  // A value that opens a comment itself (`<!-- note -->`) closes its own comment, not the page's.
  { pattern: /(?:^|["'\x60\s])-->(?:$|[<"'\x60])/, confidence: 0.55, reason: 'comment-breakout', gate: ['-->'], needs: ['-', '>'], paranoia: 2, unless: /<!--/ },
];

/** Each rule's `needs`, compiled to bit groups once. */
const NEED_MASKS: ReadonlyMap<Rule, readonly number[]> = new Map(RULES.map((rule) => [rule, needMasks(rule.needs)]));

function meets(mask: number, groups: readonly number[]): boolean {
  for (const g of groups) if ((mask & g) === 0) return false;
  return true;
}

function isInert(rule: Rule, text: string, m: RegExpExecArray): boolean {
  if (!rule.inert) return false;
  const lead = /^[=("'`,:]/.test(m[0]) ? 1 : 0;
  return rule.inert.test(text.slice(m.index + lead, m.index + lead + 80));
}

/** A script scheme at the start of a URL value: where `javascript:` runs. */
const SCRIPT_SCHEME_START = /(?:^|[\s=("'`,:])(?:javascript|vbscript|livescript):/;

/**
 * The strongest context finding in `s` (decoded, lower-cased). Before a rule's gate and regex run,
 * its `needs` are checked against a character mask of the text (computed once), the gates' `includes`
 * answers are shared between rules with the same gate, and the flat form is only built when it differs
 * from `s`; {@link scanContextsExhaustive} is the same loop without those shortcuts.
 */
export function scanContexts(s: string): Finding | undefined {
  return scanWith(s, true);
}

/** The reference for the differential tests: every rule's gate and regex, no mask, no shared answers, the flat form always built. */
export function scanContextsExhaustive(s: string): Finding | undefined {
  return scanWith(s, false);
}

function scanWith(s: string, fast: boolean): Finding | undefined {
  let flat: string | undefined;
  let best: Finding | undefined;
  let mask = -1;
  let flatMask = -1;
  let gates: Map<readonly string[], boolean> | undefined;
  let flatGates: Map<readonly string[], boolean> | undefined;
  // A script scheme spelled across tabs or newlines (`ja&tab;vascript:`): URL parsers drop those characters
  // before reading the scheme, so the split itself is the evasion, whatever follows it.
  if (/[\t\n\r]/.test(s)) {
    const joined = s.replace(/[\t\n\r]+/g, '');
    if (SCRIPT_SCHEME_START.test(joined) && !SCRIPT_SCHEME_START.test(s)) best = { confidence: 0.85, reason: 'obfuscated-script-url', at: 0 };
  }
  for (const rule of RULES) {
    // A level-2 rule only matters while nothing counts at level 1; within a level, only a surer rule can do better.
    const level = best?.paranoia ?? 1;
    const ruleLevel = rule.paranoia ?? 1;
    if (best && (level < ruleLevel || (level === ruleLevel && best.confidence >= rule.confidence))) continue;
    if (fast && rule.flat && flat === undefined) {
      // Without a backslash (no CSS escape to decode) the flat form only loses characters, so its mask is
      // within that of `s`: a rule `s` cannot meet, the flat form cannot either, and it need not be built.
      if (mask < 0) mask = charMask(s);
      if ((mask & BACKSLASH) === 0 && !meets(mask, NEED_MASKS.get(rule)!)) continue;
    }
    const text = rule.flat ? (flat ??= fast ? compact(s) : compactAll(s)) : s;
    if (fast) {
      if (text === s) {
        if (mask < 0) mask = charMask(s);
        if (!meets(mask, NEED_MASKS.get(rule)!)) continue;
      } else {
        if (flatMask < 0) flatMask = charMask(text);
        if (!meets(flatMask, NEED_MASKS.get(rule)!)) continue;
      }
      if (rule.gate) {
        const memo = text === s ? (gates ??= new Map()) : (flatGates ??= new Map());
        let open = memo.get(rule.gate);
        if (open === undefined) memo.set(rule.gate, (open = hasAny(text, rule.gate)));
        if (!open) continue;
      }
    } else if (rule.gate && !hasAny(text, rule.gate)) continue;
    const m = rule.pattern.exec(text);
    if (!m || isInert(rule, text, m) || rule.unless?.test(text)) continue;
    // On the flat form the index is approximate; it only positions the reported fragment.
    const found: Finding = { confidence: rule.confidence, reason: rule.reason, at: Math.min(m.index, s.length - 1) };
    if (rule.paranoia !== undefined) found.paranoia = rule.paranoia;
    best = better(best, found);
  }
  return best;
}
