import type { Detection, Detector } from '../types.js';

/**
 * Java-platform attacks, the part of OWASP CRS REQUEST-944 that is not JNDI (src/detect/jndi/
 * handles `${jndi:…}`): Java class and method references that execute commands or load code
 * (`java.lang.Runtime`, `getRuntime().exec(`, `new ProcessBuilder(`, `javax.script`, `Class.forName(`,
 * `defineClass(`, `sun.misc.Unsafe`), Java deserialization payloads (the stream magic `AC ED 00 05`
 * raw, in hex and in base64, and the class names of well-known gadget chains), Struts2 OGNL
 * (`%{(#…`, `#_memberAccess`, `@java.lang.Runtime@getRuntime()`), Spring4Shell / Struts1
 * class-loader manipulation (`class.module.classLoader…`) and JSP uploads.
 *
 * How it works: one pass over the char codes (gate) says which punctuation the value holds; a
 * value with none of `.`, `(`, `[`, `@`, `#`, `{`, NUL and no letter/digit run of five or more is decided
 * there. Otherwise a linear scanner reads dotted identifier paths (`java.lang.Runtime`) with the
 * characters around them, and a handful of literal-anchored regexes (no nested quantifiers) look for
 * the OGNL shapes, gadget names and serialization magic.
 *
 * Paranoia: shapes that execute or load code, serialized objects and OGNL are level 1. A JDK class
 * name (`java.io.File`) standing alone as a value or in code punctuation is level 1 with a lower
 * confidence (CRS 944130 does the same); in prose it is level 2; in a stack-trace frame
 * (`at java.lang.Runtime.exec(Runtime.java:…)`) level 3. Weak gadget words and shifted base64 magic
 * are level 2; base64 text that decodes to a gadget or exec keyword is level 3.
 *
 * Work is bounded: at most SCAN_LIMIT characters from the head and from the tail.
 */
export const SCAN_LIMIT = 4096;
const ID = 'java';

// ---------------------------------------------------------------------------------------------
// Gate
// ---------------------------------------------------------------------------------------------

const G_DOT = 1;
const G_PAREN = 2;
const G_AT = 4;
const G_HASH = 8;
const G_BRACE = 16;
const G_NUL = 32;
/** A run of five or more ASCII letters/digits: the shortest keyword the regexes look for (`rO0AB`). */
const G_RUN = 64;
/** A character outside the base64 / base64url alphabet. */
const G_NONB64 = 128;
const G_BRACKET = 256;
const G_ALL = -1;

/** 0 none, 1 letter/digit, 2 other base64 char (`+/=_-`). */
const B64CLASS = new Uint8Array(128);
const PUNCT = new Uint16Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9]/.test(ch)) B64CLASS[c] = 1;
  else if ('+/=_-'.includes(ch)) B64CLASS[c] = 2;
}
PUNCT[46] = G_DOT;
PUNCT[40] = G_PAREN;
PUNCT[64] = G_AT;
PUNCT[35] = G_HASH;
PUNCT[123] = G_BRACE;
PUNCT[0] = G_NUL;
PUNCT[91] = G_BRACKET;

function gate(v: string): number {
  let bits = 0;
  let run = 0;
  const n = v.length;
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c < 128) {
      const k = B64CLASS[c]!;
      if (k === 1) {
        if (++run >= 5) bits |= G_RUN;
        continue;
      }
      run = 0;
      if (k === 0) bits |= G_NONB64 | PUNCT[c]!;
    } else {
      run = 0;
      bits |= G_NONB64;
    }
  }
  return bits;
}

// ---------------------------------------------------------------------------------------------
// Findings
// ---------------------------------------------------------------------------------------------

interface Hit {
  reason: string;
  confidence: number;
  paranoia: 1 | 2 | 3 | 4;
  fragment: string;
}

const better = (a: Hit | undefined, b: Hit | undefined): Hit | undefined => {
  if (!a) return b;
  if (!b) return a;
  if (a.paranoia !== b.paranoia) return a.paranoia < b.paranoia ? a : b;
  return b.confidence > a.confidence ? b : a;
};

const frag = (v: string, start: number, end: number): string => v.slice(Math.max(0, start), Math.min(v.length, end, start + 64));

const hit = (reason: string, confidence: number, paranoia: 1 | 2 | 3 | 4, fragment: string): Hit => ({ reason, confidence, paranoia, fragment: fragment.slice(0, 64) });

// ---------------------------------------------------------------------------------------------
// Dotted identifier paths
// ---------------------------------------------------------------------------------------------

const isIdStart = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36;
const isUpper = (c: number): boolean => c >= 65 && c <= 90;
const isIdPart = (c: number): boolean => isIdStart(c) || (c >= 48 && c <= 57);

/** Package roots whose classes matter: two-segment roots are checked first. */
const ROOTS2 = new Set(['java.lang', 'java.io', 'java.nio', 'java.net', 'java.beans', 'java.rmi', 'java.security', 'javax.script', 'javax.naming', 'javax.management', 'org.apache', 'org.omg', 'com.sun', 'com.opensymphony', 'org.springframework', 'com.bea', 'org.codehaus', 'groovy.lang', 'sun.misc', 'sun.reflect', 'jdk.internal', 'jdk.nashorn']);
const ROOTS1 = new Set(['java', 'javax', 'sun', 'jdk', 'ognl', 'bsh']);
/** Of ROOTS2, those that are sensitive whatever the class (`org.apache` only under commons/xalan/bcel). */
const ORG_APACHE_SENSITIVE = new Set(['commons', 'xalan', 'bcel', 'xbean', 'struts2', 'myfaces', 'wicket', 'tomcat', 'catalina']);

/** Segments that name code execution (in a Java package path, or followed by a call). */
const EXEC_SEGS = new Set(['processbuilder', 'scriptenginemanager', 'scriptengine', 'getenginebyname', 'getenginebyextension', 'filesystemxmlapplicationcontext', 'classpathxmlapplicationcontext', 'groovyshell', 'interpreter']);
const REFLECT_SEGS = new Set(['reflect', 'forname', 'defineclass', 'getdeclaredmethod', 'getdeclaredconstructor', 'getdeclaredfield', 'setaccessible', 'methodhandles', 'unsafe', 'templatesimpl', 'bytecodes']);
const LOADER_SEGS = new Set(['classloader', 'urlclassloader', 'getclassloader', 'loadclass', 'protectiondomain', 'getprotectiondomain']);
const OGNL_SEGS = new Set(['xwork2', 'ognlcontext', 'ognlutil', 'memberaccess', '_memberaccess', 'actioncontext', 'servletactioncontext', 'defaultmemberaccess']);

/** Segments that, followed by `(`, are an exec/reflection call whatever the prefix. */
const CALLS = new Map<string, [string, number]>([
  ['getruntime', ['java-exec', 0.85]],
  ['getcontextclassloader', ['class-loader-manipulation', 0.8]],
  ['processbuilder', ['java-exec', 0.9]],
  ['getenginebyname', ['java-exec', 0.9]],
  ['getenginebyextension', ['java-exec', 0.9]],
  ['scriptenginemanager', ['java-exec', 0.9]],
  ['forname', ['java-reflection', 0.85]],
  ['defineclass', ['java-reflection', 0.85]],
  ['getdeclaredmethod', ['java-reflection', 0.8]],
  ['getdeclaredconstructor', ['java-reflection', 0.8]],
  ['setaccessible', ['java-reflection', 0.75]],
  ['getclassloader', ['class-loader-manipulation', 0.85]],
  ['loadclass', ['class-loader-manipulation', 0.75]],
  ['filesystemxmlapplicationcontext', ['java-exec', 0.9]],
  ['classpathxmlapplicationcontext', ['java-exec', 0.9]],
  ['groovyshell', ['java-exec', 0.85]],
]);

interface PathInfo {
  start: number;
  end: number;
  segs: string[];
  /** The first non-space character before / after the path (-1 at the edge). */
  prev: number;
  next: number;
}

function skipBack(v: string, i: number): number {
  while (i >= 0) {
    const c = v.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return i;
    i--;
  }
  return -1;
}
function skipFwd(v: string, i: number): number {
  const n = v.length;
  while (i < n) {
    const c = v.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return i;
    i++;
  }
  return n;
}

/** Punctuation around a class name that makes it code (a literal, an argument, an OGNL/SpEL reference) rather than prose. */
const CODE_BEFORE = new Set([-1, 34, 39, 61, 40, 44, 64, 62, 91, 58, 123, 59, 96, 35]); // " ' = ( , @ > [ : { ; ` #
const CODE_AFTER = new Set([-1, 34, 39, 40, 41, 64, 60, 91, 93, 44, 59, 125, 96, 38]); // " ' ( ) @ < [ ] , ; } ` &

/** `at pkg.Class.method(` — a stack-trace frame, developer text rather than a payload. */
function isStackFrame(v: string, p: PathInfo): boolean {
  if (p.next !== 40) return false;
  const b = skipBack(v, p.start - 1);
  if (b < 1 || (v.charCodeAt(b) | 32) !== 116 || (v.charCodeAt(b - 1) | 32) !== 97) return false; // "at"
  if (b >= 2 && isIdPart(v.charCodeAt(b - 2))) return false;
  const close = v.indexOf(')', p.end);
  if (close < 0 || close - p.end > 80) return false;
  const inner = v.slice(p.end, close).toLowerCase();
  return inner.includes('.java:') || inner.includes('native method') || inner.includes('unknown source') || inner.includes('.java)');
}

/** A finding in a stack-trace frame is developer text more often than a payload: level 3. */
function classifyPath(v: string, p: PathInfo, state: ScanState): Hit | undefined {
  const h = classifyBare(v, p, state);
  if (h && h.paranoia < 3 && isStackFrame(v, p)) return { ...h, confidence: 0.4, paranoia: 3 };
  return h;
}

function classifyBare(v: string, p: PathInfo, state: ScanState): Hit | undefined {
  const segs = p.segs;
  const n = segs.length;
  const text = v.slice(p.start, p.end);
  const isCall = p.next === 40;
  let found: Hit | undefined;

  // Calls that execute or reflect whatever the prefix: getRuntime(, Class.forName(, new ProcessBuilder(.
  if (isCall) {
    const last = segs[n - 1]!;
    const call = CALLS.get(last);
    if (call && (last !== 'forname' || n === 1 || segs[n - 2] === 'class' || segs[n - 2] === 'getclass')) {
      found = hit(call[0], call[1], 1, text);
    }
    if (last === 'getmethod' || last === 'getdeclaredmethod') state.getMethod = true;
    if (last === 'invoke') state.invoke = true;
    if (last === 'exec' && n >= 2 && (segs[n - 2] === 'getruntime' || segs[n - 2] === 'runtime')) found = better(found, hit('java-exec', 0.97, 1, text));
    if (last === 'getclass') state.getClass = p.end;
    if (state.getMethod && state.invoke && !found) found = hit('java-reflection', 0.8, 1, text);
  }
  // `getClass().forName(` / `getClass().getClassLoader()` chains: the path after `getClass()`.
  if (state.getClass >= 0 && state.getClass < p.start && p.start - state.getClass <= 4 && v.charCodeAt(p.start - 1) === 46) {
    const first = segs[0]!;
    if (first === 'forname' || first === 'getclassloader' || first === 'getmethod' || first === 'getdeclaredmethod' || first === 'getprotectiondomain' || first === 'getmethods') {
      found = better(found, hit(first === 'getclassloader' || first === 'getprotectiondomain' ? 'class-loader-manipulation' : 'java-reflection', 0.9, 1, frag(v, state.getClass - 8, p.end)));
    }
  }
  if (n < 2) return found;

  // Spring4Shell / Struts1: class.module.classLoader…, class.classLoader…, x.class.classLoader…
  for (let i = 0; i + 1 < n; i++) {
    if (segs[i] === 'class' || segs[i] === 'getclass') {
      const s = segs[i + 1]!;
      if (s === 'classloader' || s === 'module' || s === 'protectiondomain' || s === 'getclassloader') {
        return better(found, hit('class-loader-manipulation', 0.9, 1, text));
      }
    }
  }

  // OGNL static member access: @java.lang.Runtime@getRuntime(), @ognl.OgnlContext@DEFAULT_MEMBER_ACCESS
  const ognlStatic = p.prev === 64 && p.next === 64;

  // A Java package path?
  const root2 = `${segs[0]}.${segs[1]}`;
  let rooted = ROOTS2.has(root2) && (root2 !== 'org.apache' || (n > 2 && ORG_APACHE_SENSITIVE.has(segs[2]!)));
  if (!rooted && ROOTS1.has(segs[0]!)) rooted = true;
  if (!rooted) {
    if (ognlStatic && n >= 3 && isUpper(v.charCodeAt(p.end - segs[n - 1]!.length))) return better(found, hit('ognl', 0.8, 1, text));
    // runtime.getruntime / Runtime.exec without a package, and processbuilder paths.
    for (let i = 0; i < n; i++) {
      const s = segs[i]!;
      if (s === 'runtime' && i + 1 < n && (segs[i + 1] === 'getruntime' || segs[i + 1] === 'exec')) return better(found, hit('java-exec', 0.9, 1, text));
      if (OGNL_SEGS.has(s) && i > 0) return better(found, hit('ognl', 0.75, 1, text));
    }
    return found;
  }

  const frame = isStackFrame(v, p);
  // The dangerous class, if any.
  let reason: string | undefined;
  let conf = 0;
  for (let i = 1; i < n; i++) {
    const s = segs[i]!;
    const nextSeg = segs[i + 1];
    if (s === 'runtime') {
      // java.lang.Runtime, java.Runtime, java.evil.runtime — but not the java.runtime.version property.
      if (nextSeg === undefined || nextSeg === 'getruntime' || nextSeg === 'exec') { reason = 'java-exec'; conf = 0.9; break; }
    } else if (s === 'process') {
      if (segs[i - 1] === 'lang' && (nextSeg === undefined || nextSeg === 'start')) { reason = 'java-exec'; conf = 0.85; break; }
    } else if (EXEC_SEGS.has(s)) { reason = 'java-exec'; conf = 0.9; break; }
    else if (LOADER_SEGS.has(s)) { reason = 'class-loader-manipulation'; conf = 0.85; break; }
    else if (REFLECT_SEGS.has(s)) { reason = 'java-reflection'; conf = 0.85; break; }
    else if (OGNL_SEGS.has(s)) { reason = 'ognl'; conf = 0.85; break; }
    else if (s === 'functors' || (s === 'internal' && segs[0] === 'com') || s === 'rowset' || s === 'objectinputstream' || s === 'xmldecoder' || s === 'jndi') { reason = 'java-deserialization'; conf = 0.85; break; }
    else if (s === 'org' && segs[0] === 'com' && segs[1] === 'sun') { reason = 'java-deserialization'; conf = 0.8; break; } // com.sun.org.apache…: the JDK's internal xalan/bcel
  }
  if (reason) {
    if (frame) return better(found, hit(reason, 0.4, 3, text));
    if (ognlStatic) conf = Math.max(conf, 0.95);
    return better(found, hit(ognlStatic ? 'ognl' : reason, conf, 1, text));
  }
  if (ognlStatic) return better(found, hit('ognl', 0.85, 1, text));
  if (frame) return found;

  // A JDK (or commons) class with no execution of its own: java.io.File, java.lang.String.
  const lastStart = p.end - segs[n - 1]!.length;
  if (!ROOTS2.has(root2)) return found; // java.util.List, javax.faces.ViewState: not what attacks name
  const classLike = isUpper(v.charCodeAt(lastStart));
  const code = CODE_BEFORE.has(p.prev) && CODE_AFTER.has(p.next);
  if (classLike && code) return better(found, hit('java-class', 0.7, 1, text));
  return better(found, hit('java-class', 0.5, 2, text));
}

interface ScanState {
  getMethod: boolean;
  invoke: boolean;
  getClass: number;
}

/**
 * Words one of which every finding of scanPaths needs (a root package, a dangerous segment, a
 * call, an OGNL static reference): a value with none of them is not scanned.
 */
const PATH_GATE = /java|jdk\.|sun\.|ognl|bsh\.|org\.(?:apache|omg|spring|codehaus)|com\.(?:sun|opensymphony|bea)|groovy|class|runtime|processbuilder|forname|getengine|scriptengine|setaccessible|getdeclared|getmethod|applicationcontext|xwork|memberaccess|actioncontext|@[\w$.]+@/i;

const CLASS_BRACKET = /^class\s*\[\s*['"]?\s*(?:classloader|module|protectiondomain)/i;

function scanPaths(v: string): Hit | undefined {
  const n = v.length;
  const state: ScanState = { getMethod: false, invoke: false, getClass: -1 };
  let best: Hit | undefined;
  let i = 0;
  while (i < n) {
    const c = v.charCodeAt(i);
    if (!isIdStart(c) || (i > 0 && isIdPart(v.charCodeAt(i - 1)))) { i++; continue; }
    const start = i;
    const bounds: number[] = [];
    let j = i;
    for (;;) {
      const s = j;
      while (j < n && isIdPart(v.charCodeAt(j))) j++;
      bounds.push(s, j);
      if (j + 1 < n && v.charCodeAt(j) === 46 && isIdStart(v.charCodeAt(j + 1))) { j++; continue; }
      break;
    }
    i = j;
    const next = skipFwd(v, j);
    const nextCode = next < n ? v.charCodeAt(next) : -1;
    // `class['classLoader']…`: the bracket form of the Spring4Shell / Struts1 path.
    if (bounds.length === 2 && nextCode === 91 && j - start === 5 && CLASS_BRACKET.test(v.slice(start, next + 24))) {
      return hit('class-loader-manipulation', 0.9, 1, frag(v, start, next + 24));
    }
    // One-segment identifiers matter only as calls (getRuntime(, forName(, …).
    if (bounds.length === 2 && (nextCode !== 40 || j - start < 6)) continue;
    const segs: string[] = [];
    for (let k = 0; k < bounds.length; k += 2) segs.push(v.slice(bounds[k], bounds[k + 1]).toLowerCase());
    const prevAt = skipBack(v, start - 1);
    const p: PathInfo = { start, end: j, segs, prev: prevAt < 0 ? -1 : v.charCodeAt(prevAt), next: nextCode };
    best = better(best, classifyPath(v, p, state));
    if (best && best.paranoia === 1 && best.confidence >= 0.9) return best;
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// OGNL / EL shapes, gadget names, serialization magic
// ---------------------------------------------------------------------------------------------

const OGNL_STRONG = /#_?memberaccess|#context\s*[[.]|#ognlutil|%\{\s*\(?\s*#[a-z_]|\$\{\s*\(?\s*#[a-z_]|#attr\s*\[|#application\s*\[|#parameters\s*\.|#request\s*\[/i;
const OGNL_ASSIGN = /\(\s*#[a-z_$][\w$]*\s*=/i;
const OGNL_CHAIN = /\)\s*\.\s*\(\s*#/;

const GADGETS = /invokertransformer|chainedtransformer|constanttransformer|instantiatetransformer|clonetransformer|instantiatefactory|prototypeclonefactory|prototypeserializationfactory|templatesimpl|annotationinvocationhandler|jdbcrowsetimpl|ysoserial|badattributevalueexpexception|whileclosure|forclosure|lazymap|transformedmap|xmldecoder|aced0005/i;
const WEAK_GADGETS = new Set(['whileclosure', 'forclosure', 'lazymap', 'transformedmap', 'xmldecoder']);
const EXEC_WORD = /runtime|processbuilder|exec\s*\(/i;

const B64_MAGIC = /rO0AB|KztAAU|Cs7QAF/;

function isB64Char(c: number): boolean {
  return c < 128 && B64CLASS[c] !== 0;
}

function scanKeywords(v: string): Hit | undefined {
  let best: Hit | undefined;
  const g = GADGETS.exec(v);
  if (g) {
    const word = g[0].toLowerCase();
    const f = frag(v, g.index - 12, g.index + g[0].length + 12);
    if (word === 'aced0005') {
      const atStart = g.index === 0 || !/[0-9a-f]/i.test(v[g.index - 1]!);
      best = hit('java-deserialization', atStart ? 0.9 : 0.6, atStart ? 1 : 2, f);
    } else if (WEAK_GADGETS.has(word)) {
      best = EXEC_WORD.test(v) ? hit('java-deserialization', 0.85, 1, f) : hit('java-deserialization', 0.55, 2, f);
    } else {
      best = hit('java-deserialization', 0.85, 1, f);
    }
  }
  const m = B64_MAGIC.exec(v);
  if (m) {
    const atStart = m[0] === 'rO0AB' && (m.index === 0 || !isB64Char(v.charCodeAt(m.index - 1)));
    best = better(best, hit('java-deserialization', atStart ? 0.9 : 0.6, atStart ? 1 : 2, frag(v, m.index, m.index + 24)));
  }
  return best;
}

function scanOgnl(v: string): Hit | undefined {
  const s = OGNL_STRONG.exec(v);
  if (s) return hit('ognl', 0.9, 1, frag(v, s.index, s.index + 40));
  const a = OGNL_ASSIGN.exec(v);
  if (a) {
    const chained = OGNL_CHAIN.test(v);
    return hit('ognl', chained ? 0.85 : 0.6, chained ? 1 : 2, frag(v, a.index, a.index + 40));
  }
  return undefined;
}

/** The serialization stream magic as raw bytes (Latin-1 read) or as UTF-8-replaced bytes. */
function scanRawMagic(v: string): Hit | undefined {
  let i = v.indexOf('\u0000\u0005');
  while (i >= 2) {
    const a = v.charCodeAt(i - 2);
    const b = v.charCodeAt(i - 1);
    if ((a === 0xac && b === 0xed) || (a === 0xfffd && b === 0xfffd)) return hit('java-deserialization', a === 0xac ? 0.95 : 0.8, 1, frag(v, i - 2, i + 20));
    i = v.indexOf('\u0000\u0005', i + 1);
  }
  return undefined;
}

/** JSP uploads: a bare file name ending in .jsp/.jspx, with the usual evasions (trailing dots or spaces, a space before the extension). */
const JSP = /^[^/\\?&=<>"']{0,255}\.\s*jsp[xf]?[.\s]*$/i;
function scanJsp(v: string): Hit | undefined {
  let end = v.length;
  while (end > 0 && (v.charCodeAt(end - 1) === 46 || v.charCodeAt(end - 1) === 32)) end--;
  const last = end > 0 ? v.charCodeAt(end - 1) | 32 : 0;
  if (last !== 112 && last !== 120 && last !== 102) return undefined; // p, x, f
  const m = JSP.exec(v);
  if (!m) return undefined;
  const evasive = !/\.jsp[xf]?$/i.test(v);
  return hit('jsp-upload', evasive ? 0.7 : 0.5, evasive ? 1 : 2, v.slice(-64));
}

/**
 * Base64 text that holds a gadget or exec keyword at any of the three byte alignments: level 3. The
 * keywords' base64 forms are computed here (the characters that depend on the keyword bytes only),
 * lower-case and capitalised, so a value is matched with one regex and nothing is decoded.
 */
const B64_KEYWORDS = ['runtime', 'processbuilder', 'clonetransformer', 'forclosure', 'instantiatefactory', 'instantiatetransformer', 'invokertransformer', 'prototypeclonefactory', 'prototypeserializationfactory', 'whileclosure', 'getproperty', 'filewriter', 'xmldecoder', 'classloader', 'getruntime', 'templatesimpl', 'chainedtransformer'];
function b64Forms(word: string): string[] {
  const out: string[] = [];
  for (const w of [word, word[0]!.toUpperCase() + word.slice(1)]) {
    for (let pad = 0; pad < 3; pad++) {
      const enc = Buffer.concat([Buffer.alloc(pad), Buffer.from(w, 'latin1')]).toString('base64');
      const from = Math.ceil((pad * 8) / 6);
      const to = Math.floor(((pad + w.length) * 8) / 6);
      out.push(enc.slice(from, to));
    }
  }
  return out;
}
const B64_RE = new RegExp([...new Set(B64_KEYWORDS.flatMap(b64Forms))].map((f) => f.replace(/[+/]/g, (c) => `\\${c}`)).join('|'));
const B64_MAX = 1024;
function scanBase64(v: string): Hit | undefined {
  const n = v.length;
  if (n < 8 || n > B64_MAX) return undefined;
  for (let i = 0; i < n; i++) if (!isB64Char(v.charCodeAt(i))) return undefined;
  const m = B64_RE.exec(v);
  return m ? hit('java-base64-keyword', 0.5, 3, frag(v, m.index, m.index + 40)) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------

/**
 * One regex pass that every finding of scanPaths (PATH_GATE) and of scanKeywords (GADGETS,
 * B64_MAGIC, here case-insensitive: a superset) needs: most values stop here.
 */
const WORD_GATE = new RegExp(`${GADGETS.source}|ro0ab|kztaau|cs7qaf|${PATH_GATE.source}`, 'i');
/** The same for a value without `.`, `(`, `@`, `[`, where scanPaths cannot fire. */
const KEYWORD_GATE = new RegExp(`${GADGETS.source}|ro0ab|kztaau|cs7qaf`, 'i');

function detectWindow(v: string, bits: number): Detection | undefined {
  if ((bits & (G_DOT | G_PAREN | G_AT | G_HASH | G_BRACE | G_NUL | G_RUN | G_BRACKET)) === 0) return undefined;
  let best: Hit | undefined;
  if (bits & G_NUL) best = scanRawMagic(v);
  const words = bits === G_ALL || ((bits & (G_DOT | G_PAREN | G_AT | G_BRACKET)) !== 0 ? WORD_GATE.test(v) : (bits & G_RUN) !== 0 && KEYWORD_GATE.test(v));
  if (words && bits & (G_DOT | G_PAREN | G_AT | G_BRACKET)) best = better(best, scanPaths(v));
  if (bits & G_HASH) best = better(best, scanOgnl(v));
  if (words && bits & G_RUN) best = better(best, scanKeywords(v));
  if (bits & G_DOT) best = better(best, scanJsp(v));
  if (!best && ((bits & G_NONB64) === 0 || bits === G_ALL)) best = scanBase64(v);
  if (!best) return undefined;
  return { detector: ID, confidence: best.confidence, fragment: best.fragment, reason: best.reason, ...(best.paranoia !== 1 ? { paranoia: best.paranoia } : {}) };
}

function run(value: string, exhaustive: boolean): Detection | undefined {
  const one = (v: string): Detection | undefined => detectWindow(v, exhaustive ? G_ALL : gate(v));
  if (value.length <= SCAN_LIMIT) return one(value);
  return one(value.slice(0, SCAN_LIMIT)) ?? one(value.slice(value.length - SCAN_LIMIT));
}

export const java: Detector = {
  id: ID,
  detect(value: string): Detection | undefined {
    return run(value, false);
  },
};

/** Every sub-check on every value, without the gate: for differential tests of the gate. */
export function detectJavaExhaustive(value: string): Detection | undefined {
  return run(value, true);
}
