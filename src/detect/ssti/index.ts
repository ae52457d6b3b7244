import type { Detection, Detector } from '../types.js';

/**
 * Server-side template injection: a value that a template engine would evaluate as an expression
 * carrying code. Template engines only evaluate what sits between their delimiters, so the
 * detector first finds expressions (`{{…}}`, `{%…%}`, `${…}`, `#{…}`, `*{…}`, `@{…}`, `<%…%>`,
 * `@(…)`) and then judges what is inside:
 *   - an arithmetic probe (`{{7*7}}`, `${7*'7'}`): how attackers find an injectable field → moderate;
 *   - code: a method call on an object, a command or class-loading name (`exec`, `forName`,
 *     `popen`, `require`) → moderate to high;
 *   - object traversal to reach the interpreter (`''.__class__.__mro__`, `lipsum.__globals__`,
 *     `T(java.lang.Runtime)`, `"freemarker.template.utility.Execute"?new()`) → high, and for the
 *     most specific of these also without delimiters (engines differ in delimiters, payloads get cut).
 * A plain placeholder (`Hello {{ first_name }}`, `${price}`, `#{id}`) is what templates are for: benign.
 */
export const SCAN_LIMIT = 4096;
/** Expressions longer than this are not looked at as one expression (templates with code are short). */
const MAX_EXPRESSION = 512;

/**
 * Engine-specific shapes that mean template code wherever they appear. `brace`: the shape itself
 * has a `{`, so it is only tried on values that have one.
 */
const SIGNATURES: ReadonlyArray<{ re: RegExp; reason: string; confidence: number; brace?: true }> = [
  { re: /_TemplateReference__context/, reason: 'object-traversal', confidence: 0.95 },
  { re: /freemarker\.template\.utility\.(?:Execute|ObjectConstructor|JythonRuntime)/, reason: 'freemarker-execute', confidence: 0.95 },
  { re: /["']\s*\?\s*new\s*\(\s*\)/, reason: 'freemarker-new', confidence: 0.9 },
  { re: /<#assign\s+[\w$]+\s*=/, reason: 'freemarker-directive', confidence: 0.75 },
  { re: /\bT\s*\(\s*java\.(?:lang|io|net|nio|util)\./, reason: 'spel-type', confidence: 0.95 },
  { re: /#set\s*\(\s*\$[\w{]+\s*=/, reason: 'velocity-directive', confidence: 0.8 },
  { re: /\$class\s*\.\s*(?:inType|forName|type|inspect)\b/, reason: 'velocity-class', confidence: 0.9 },
  { re: /\{\s*php\s*\}/i, reason: 'smarty-php', confidence: 0.9, brace: true },
  { re: /\{\s*(?:system|exec|passthru|shell_exec|popen|proc_open|eval|assert|if\s+(?:system|exec|passthru|shell_exec))\s*\(/, reason: 'smarty-call', confidence: 0.85, brace: true },
  { re: /\{\s*\$smarty\s*\.|\{\s*Smarty_Internal_Write_File::/i, reason: 'smarty-internal', confidence: 0.85, brace: true },
  { re: /\{\{\s*#with\s+["'][^}]{0,64}\bas\s*\|/, reason: 'handlebars-gadget', confidence: 0.85, brace: true },
  { re: /\$\{\{\s*<%/, reason: 'template-polyglot', confidence: 0.8, brace: true },
  { re: /\bconstructor\s*\.\s*constructor\s*\(/, reason: 'object-traversal', confidence: 0.85 },
  { re: /\brequire\s*\(\s*['"`]child_process['"`]\s*\)/, reason: 'node-rce', confidence: 0.8 },
  { re: /\bRuntime\s*\.\s*getRuntime\s*\(\s*\)\s*\.\s*exec\s*\(|\bgetClass\s*\(\s*\)\s*\.\s*forName\s*\(/, reason: 'java-rce', confidence: 0.8 },
];

/** Python attributes that walk from any object to classes, modules and builtins. */
const DUNDER = /__(?:class|mro|subclasses|globals|builtins|base|bases|init|import|getattribute|dict|reduce_ex|reduce|loader|spec)__/g;
/** One of these alone is already the traversal; the others need a second dunder. */
const STRONG_DUNDER = new Set(['__mro__', '__subclasses__', '__globals__', '__builtins__', '__import__', '__getattribute__']);

/** Calls that run commands, load classes or modules, or read files: code, not a placeholder. */
const CODE_CALL =
  /(?<![\w$])(?:exec|execSync|spawn|spawnSync|system|popen|passthru|shell_exec|proc_open|eval|getRuntime|forName|ProcessBuilder|ScriptEngineManager|newInstance|getMethod|getDeclaredMethod|check_output|__import__|import_module|require|readFileSync|registerUndefinedFilterCallback|getFilter|getClassLoader|getProtectionDomain|_load)\s*\(/;
/** Object paths that only lead to the interpreter or the OS (`process.mainModule`, `IO.popen`, `java.lang.`). */
const CODE_PATH = /\bgetClass\s*\(\s*\)\s*\.|\brequire\s*\.\s*main\b|\bconstructor\s*\.\s*_load\b|\bprocess\s*\.\s*(?:mainModule|binding)\b|\bchild_process\b|\bKernel\s*\.|\bIO\s*\.\s*popen\b|\bFile\s*\.\s*(?:open|read)\b|\bjava\.lang\.|\bos\s*\.\s*(?:popen|system)\b|\bsubprocess\s*\.|\bProcess\s*\.\s*Start\s*\(/;
/** Jinja/Twig filters that call back into PHP/Python by name (`['id']|map('system')`, `|attr('__class__')`). */
const CALLBACK_FILTER = /\|\s*(?:attr|filter|map|reduce|sort|call)\s*\(/;
/** Flask/Jinja globals and objects that expose configuration or the interpreter on their own. */
const DISCLOSURE = /^\s*(?:(?:config|self|request\.(?:environ|application)|app\.request\.server|_self\.env)\b|dump\s*\(\s*app\s*\))/;
/** `7*7`, `7*'7'`, `1337+1`: a probe whose output shows the field is evaluated. */
const ARITHMETIC = /^\s*[=-]?\s*['"]?\d{1,9}['"]?\s*[*+/%-]\s*['"]?\d{1,9}['"]?\s*$/;
/** `{% if True %}49{% endif %}`: control flow on a constant, a probe for block syntax. */
const CONSTANT_CONDITION = /^\s*=?\s*(?:if|elif|unless|while)\s*\(?\s*(?:true|1|1\s*==\s*1|7\s*==\s*7|'a'\s*==\s*'a')\s*\)?\s*$/i;
/** `x.y(`, `"".join(`: a call on an object somewhere in the expression. */
const METHOD_CALL = /[\w\])'"]\s*\.\s*[A-Za-z_$][\w$]*\s*\(/;
/**
 * The whole expression is one member/call chain (`user.getClass().getName()`, `''.join(x)`), not
 * random text between a `*{` and a `}` (sensor blobs, minified data). Each step starts with its
 * own character (`.`, `(`, `[`), so matching is linear.
 */
const CALL_CHAIN = /^\s*(?:[\w$]+|'[^']*'|"[^"]*")(?:\s*(?:\.\s*[\w$]+|\((?:[^()]|\([^()]*\))*\)|\[[^[\]]*\]))+\s*$/;
/** ERB/EJS: a shell command in backticks. */
const BACKTICK_COMMAND = /`[^`]+`/;

/** An expression without a letter or digit (`{{%}`, `{}`) evaluates nothing: not judged. */
const HAS_WORD = /[A-Za-z0-9_]/;
/** Openers by the character before a `{`, and the closer each expects. */
const BRACE_OPENERS: Readonly<Record<string, string>> = { '$': '}', '#': '}', '*': '}', '@': '}', '~': '}' };

export const ssti: Detector = {
  id: 'ssti',
  detect(value: string): Detection | undefined {
    if (value.length <= SCAN_LIMIT) return detectWindow(value);
    return detectWindow(value.slice(0, SCAN_LIMIT)) ?? detectWindow(value.slice(value.length - SCAN_LIMIT));
  },
};

/** Every shape needs one of these; most values (words, numbers, ids, e-mail addresses, `utm_source`) have none. */
const CHAR_GATE = /[{%#$(]|__|@\(/;
/** Delimited shapes need `{`, `<%` or `@(`; the shapes without one all contain `_`, `#`, `$` or `(`. */
const BRACE_GATE = /\{|<%|@\(/;
const BARE_CHARS = /[_#$(]/;
/** The brace signatures start with one of these (one scan instead of five). */
const BRACE_SHAPES = /\{\s*(?:php|system|exec|passthru|shell_exec|popen|proc_open|eval|assert|if\s|\$smarty|Smarty_|#with|<%)/i;
/** Shapes without a brace need one of these words or marks (plain substring searches: cheaper than one alternation regex). */
const BARE_WORDS = ['__', '#set', '$class', '<#assign', 'constructor', 'getRuntime', 'forName', 'child_process'];
function bareGate(v: string): boolean {
  for (const w of BARE_WORDS) if (v.includes(w)) return true;
  return (v.includes('new') && /\?\s*new/.test(v)) || (v.includes('T') && /\bT\s*\(/.test(v));
}

function detectWindow(v: string): Detection | undefined {
  if (!CHAR_GATE.test(v)) return undefined;
  const braces = BRACE_GATE.test(v);
  const bare = BARE_CHARS.test(v) && bareGate(v);
  if (!braces && !bare) return undefined;
  let best: Detection | undefined;
  const keep = (d: Detection | undefined): void => {
    if (d && (!best || d.confidence > best.confidence)) best = d;
  };
  const braceShapes = braces && BRACE_SHAPES.test(v);
  for (const s of SIGNATURES) {
    if (s.brace ? !braceShapes : !bare) continue;
    const m = s.re.exec(v);
    if (m) keep(hit(s.confidence, s.reason, m[0]));
  }
  if (bare) keep(dunders(v, 0.8));
  if (!braces || (best && best.confidence >= 0.95)) return best;
  keep(scanExpressions(v));
  return best;
}

/** Python object traversal: a strong dunder, or two dunders chained. */
function dunders(v: string, confidence: number): Detection | undefined {
  if (!v.includes('__')) return undefined;
  DUNDER.lastIndex = 0;
  let count = 0;
  for (let m = DUNDER.exec(v); m; m = DUNDER.exec(v)) {
    count++;
    if (STRONG_DUNDER.has(m[0]) || count >= 2) return hit(confidence, 'object-traversal', v.slice(Math.max(0, m.index - 24), m.index + 40));
  }
  return undefined;
}

/**
 * Finds each expression and judges the strongest one. Openers are found from their one
 * mandatory character (`{`, `<%`, `@(`), so the value is walked once per kind; the closer is
 * searched with indexOf and the last answer reused while it still lies ahead, so the scan stays
 * linear even with many openers and no closer.
 */
function scanExpressions(v: string): Detection | undefined {
  const closers = new Map<string, number>(); // closer → last position found (-1: none ahead)
  let best: Detection | undefined;
  const consider = (at: number, open: string, close: string): void => {
    const start = at + open.length;
    let c = closers.get(close) ?? -2;
    if (c === -1) return;
    if (c < start) {
      c = v.indexOf(close, start);
      closers.set(close, c);
      if (c < 0) return;
    }
    if (c - start > MAX_EXPRESSION) return;
    const content = v.slice(start, c);
    if (!HAS_WORD.test(content)) return; // `{{%}`, `{}`: punctuation only, nothing to evaluate
    const d = judge(content, v.slice(at, c + close.length), open);
    if (d && (!best || d.confidence > best.confidence)) best = d;
  };
  for (let i = v.indexOf('{'); i >= 0; i = v.indexOf('{', i + 1)) {
    const next = v[i + 1];
    if (next === '{') consider(i, '{{', '}}');
    else if (next === '%') consider(i, '{%', '%}');
    const prev = i > 0 ? v[i - 1]! : '';
    const close = BRACE_OPENERS[prev];
    if (close !== undefined && next !== '{') consider(i - 1, `${prev}{`, close);
  }
  for (let i = v.indexOf('<%'); i >= 0; i = v.indexOf('<%', i + 2)) consider(i, '<%', '%>');
  // `@(` after a word character or dot is text (`user@(host)`), not Razor.
  for (let i = v.indexOf('@('); i >= 0; i = v.indexOf('@(', i + 2)) if (i === 0 || !/[\w.]/.test(v[i - 1]!)) consider(i, '@(', ')');
  return best;
}

function judge(content: string, expression: string, open: string): Detection | undefined {
  // Each shape needs a character of its own: the common placeholder (`{{ name }}`) runs no regex.
  const dot = content.includes('.');
  const call = content.includes('(');
  if (content.includes('__')) {
    const traversal = dunders(content, 0.95);
    if (traversal) return { ...traversal, fragment: expression.slice(0, 64) };
  }
  if ((call && CODE_CALL.test(content)) || (dot && CODE_PATH.test(content))) return hit(0.9, 'template-code', expression);
  if (open === '<%' && BACKTICK_COMMAND.test(content)) return hit(0.85, 'template-code', expression);
  if (call && content.includes('|') && CALLBACK_FILTER.test(content)) return hit(0.85, 'template-filter-callback', expression);
  // Jinja/Twig only: `${config}` is an ordinary placeholder elsewhere.
  if ((open === '{{' || open === '{%') && DISCLOSURE.test(content) && !/\s\w/.test(content.trim())) return hit(0.7, 'template-disclosure', expression);
  if (ARITHMETIC.test(content) || CONSTANT_CONDITION.test(content)) return hit(ARITHMETIC.test(content) ? 0.65 : 0.6, 'template-probe', expression);
  if (dot && call && METHOD_CALL.test(content) && CALL_CHAIN.test(content.replace(/^\s*[=-]/, ''))) return hit(0.6, 'template-call', expression);
  return undefined;
}

function hit(confidence: number, reason: string, fragment: string): Detection {
  return { detector: 'ssti', confidence, reason, fragment: fragment.slice(0, 64) };
}
