import { keyWords } from '../../detect/data-classes/context.js';
import { maskText, scanText } from '../../detect/data-classes/index.js';
import { isCredentialName } from '../../discovery/sources/redact.js';

/**
 * Evidence is built from names and shapes, not copied values: a debug page's report says which
 * members hold secrets, never what they hold. What text does go into evidence passes `redactText`
 * first, as a second line of defence (DESIGN.md: no secret in a report, unmasked).
 */
export const REDACTED = '[redacted]';

/** `user:password@` in URLs, credential-named `name=value` / `name: value` / `"name": "value"` pairs, and every sensitive-data shape, masked. */
export function redactText(text: string): string {
  let out = text.replace(/\b([a-z][a-z0-9+.-]{1,15}:\/\/)[^/@\s"'<>]+@/gi, `$1${REDACTED}@`);
  out = out.replace(/("?)([A-Za-z_][\w.-]{0,63})\1(\s*[:=]\s*)("?)([^\s"',;&<>]{1,512})\4/g, (whole, q: string, name: string, sep: string, vq: string) =>
    isCredentialName(name) ? `${q}${name}${q}${sep}${vq}${REDACTED}${vq}` : whole);
  const scan = scanText(out);
  return scan.matches.length > 0 ? maskText(out, scan.matches) : out;
}

/** At most `max` characters on one line. */
export function clip(text: string, max = 160): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** Redacted and clipped: the form every quoted fragment of an answer takes in a finding. */
export function quote(text: string, max = 160): string {
  return clip(redactText(text), max);
}

/** Words that make a credential-named member a description of the credential (`jwtAlgorithm`, `tokenType`, `apiKeyName`), not the credential. */
const DESCRIPTOR_WORDS = new Set(['algorithm', 'alg', 'type', 'kind', 'name', 'length', 'ttl', 'expiry', 'expires', 'expiration', 'lifetime', 'header', 'enabled', 'required', 'policy', 'format', 'issuer', 'audience', 'scheme', 'url', 'uri', 'endpoint', 'id', 'count']);

/** A member or variable name that says it holds a credential's value. */
export function namesSecret(name: string): boolean {
  return isCredentialName(name) && !keyWords(name).some((w) => DESCRIPTOR_WORDS.has(w));
}

export interface JsonKeys {
  /** Member names (dotted, at most 3 levels) whose name says credential and whose value is a non-empty string or number. */
  secrets: string[];
  /** Every member name seen, at most 3 levels deep, in order. */
  keys: string[];
}

/** The member names of a parsed JSON value, bounded (200 names, 3 levels). */
export function jsonKeys(value: unknown, max = 200): JsonKeys {
  const out: JsonKeys = { secrets: [], keys: [] };
  const walk = (v: unknown, prefix: string, depth: number): void => {
    if (v === null || typeof v !== 'object' || depth > 3 || out.keys.length >= max) return;
    if (Array.isArray(v)) { for (const item of v.slice(0, 5)) walk(item, prefix, depth + 1); return; }
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
      if (out.keys.length >= max) return;
      const name = prefix ? `${prefix}.${k}` : k;
      out.keys.push(name);
      const filled = (typeof child === 'string' && child.trim() !== '' && !/^\*+$|^\[?redacted\]?$/i.test(child)) || typeof child === 'number';
      if (filled && namesSecret(k)) out.secrets.push(name);
      walk(child, name, depth + 1);
    }
  };
  walk(value, '', 0);
  return out;
}

/** Parsed JSON, or undefined. Only tried on bodies that look like a JSON object or array. */
export function parseJson(body: string): unknown {
  const t = body.trimStart();
  if (!t.startsWith('{') && !t.startsWith('[')) return undefined;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return undefined;
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** `a, b, c (+4 more)` */
export function list(names: readonly string[], max = 6): string {
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} (+${names.length - max} more)` : shown;
}
