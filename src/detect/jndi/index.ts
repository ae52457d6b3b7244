import type { Detection, Detector } from '../types.js';

/**
 * JNDI lookups as Log4j 2 evaluates them (log4shell, CVE-2021-44228). Log4j resolves nested
 * `${…}` lookups before it looks at the `jndi:` prefix, so a value like `${${lower:J}ndi:…}` or
 * `${${::-j}${::-n}di:…}` only spells `jndi` after resolution; pattern-matching the raw text misses
 * it. This detector therefore resolves the obfuscating lookups itself (case, default values, date
 * literals), innermost first, and then looks for a `jndi:` lookup with a naming protocol.
 *
 * Work is bounded: at most SCAN_LIMIT characters from the head and from the tail, at most
 * MAX_DEPTH open lookups at a time and MAX_PASSES passes over the window. Resolution never makes
 * the text longer, so each pass is linear.
 */
export const SCAN_LIMIT = 4096;
const MAX_DEPTH = 16;
/** A pass can create a new `${` from `$` + `{` (`${env:x:-$}{jndi:…}`); a few more passes resolve that. */
const MAX_PASSES = 4;

/** The naming/directory protocols JNDI can reach from a lookup; `http` loads remote codebases too. */
const PROTOCOL = /^\s*jndi:\s*(ldaps?|rmi|dns|iiop|corbaname|corba|nds|nis|https?|iiopname)\s*:/i;
/** Lookups that read the environment: inside a jndi URL they exfiltrate (`${env:AWS_SECRET_ACCESS_KEY}`). */
const EXFIL = /\$\{\s*(env|sys|java|main|ctx|docker|k8s|spring|web|bundle|jvmrunargs|hostname|log4j|sd|marker|event|base64)\b/i;

interface Found {
  lookup: string;
  closed: boolean;
  obfuscated: boolean;
}

export const jndi: Detector = {
  id: 'jndi',
  detect(value: string): Detection | undefined {
    if (value.length <= SCAN_LIMIT) return detectWindow(value);
    return detectWindow(value.slice(0, SCAN_LIMIT)) ?? detectWindow(value.slice(value.length - SCAN_LIMIT));
  },
};

function detectWindow(value: string): Detection | undefined {
  // Resolution only ever yields characters of the input (case-changed), so `jndi` needs a j/J.
  if (!value.includes('${') || !/[jJ]/.test(value)) return undefined;
  let text = value;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const { out, found } = resolvePass(text);
    if (found) return report(found, pass > 0 || found.obfuscated);
    if (out === text || !out.includes('${')) return undefined;
    text = out;
  }
  return undefined;
}

function report(found: Found, obfuscated: boolean): Detection {
  const protocol = PROTOCOL.test(found.lookup);
  const exfil = EXFIL.test(found.lookup);
  let confidence = protocol ? 0.95 : 0.8;
  if (!found.closed) confidence -= 0.1; // cut off before `}`: Log4j would not resolve it, but it is a probe
  if (exfil) confidence = Math.max(confidence, 0.97);
  const reason = exfil ? 'jndi-exfil' : obfuscated ? 'jndi-obfuscated' : 'jndi-lookup';
  return { detector: 'jndi', confidence, reason, fragment: `\${${found.lookup}`.slice(0, 64) };
}

/**
 * One left-to-right pass: each `${` opens a segment, each `}` closes the innermost one and
 * replaces it by what Log4j would make of it. A segment whose resolved content starts with
 * `jndi:` is the finding. Open segments at the end (no `}`) are checked too.
 */
function resolvePass(text: string): { out: string; found?: Found } {
  const stack: string[] = [''];
  const obfuscatedAt: boolean[] = [false];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '$' && text[i + 1] === '{' && stack.length <= MAX_DEPTH) {
      stack.push('');
      obfuscatedAt.push(false);
      i++;
    } else if (c === '}' && stack.length > 1) {
      const content = stack.pop()!;
      const obfuscated = obfuscatedAt.pop()!;
      if (isJndi(content)) return { out: text, found: { lookup: content, closed: true, obfuscated } };
      const resolved = resolveLookup(content);
      stack[stack.length - 1] += resolved ?? `\${${content}}`;
      if (resolved !== undefined) obfuscatedAt[obfuscatedAt.length - 1] = true;
    } else {
      stack[stack.length - 1] += c;
    }
  }
  for (let d = stack.length - 1; d >= 1; d--) {
    const content = stack[d]!;
    if (isJndi(content) && PROTOCOL.test(content)) return { out: text, found: { lookup: content, closed: false, obfuscated: obfuscatedAt[d]! } };
  }
  // Unclosed segments go back as they were, so the next pass sees the same text around them.
  let out = stack[0]!;
  for (let d = 1; d < stack.length; d++) out += `\${${stack[d]!}`;
  return { out };
}

/** Log4j lowercases the lookup prefix, so `JnDi:` counts; leading blanks are tolerated (a probe either way). */
function isJndi(content: string): boolean {
  const c = content.trimStart();
  return c.length >= 5 && c.slice(0, 5).toLowerCase() === 'jndi:';
}

/**
 * What a lookup used for obfuscation evaluates to, or undefined for one whose value only the
 * server knows (`${env:HOME}`, `${sys:user.name}`): those stay as written.
 */
function resolveLookup(content: string): string | undefined {
  // `${name:-default}`: an unknown name (`${::-j}`, `${env:NOPE:-j}`) yields the default.
  const dflt = content.indexOf(':-');
  if (dflt >= 0) return content.slice(dflt + 2);
  const colon = content.indexOf(':');
  if (colon < 0) return undefined;
  const prefix = content.slice(0, colon).trim().toLowerCase();
  const arg = content.slice(colon + 1);
  if (prefix === 'lower') return arg.toLowerCase();
  if (prefix === 'upper') return arg.toUpperCase();
  if (prefix === 'date') return quotedLiterals(arg);
  return undefined;
}

/** SimpleDateFormat copies text in single quotes verbatim (`${date:'j'}` → `j`); pattern letters become digits. */
function quotedLiterals(pattern: string): string {
  let out = '';
  let quoted = false;
  for (const c of pattern) {
    if (c === "'") quoted = !quoted;
    else if (quoted) out += c;
  }
  return out;
}
