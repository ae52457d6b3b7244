import type { Evidence } from '../core/verdict.js';

/**
 * Last line of defence for anything stored or logged: values that look like credentials or card
 * numbers are masked even if a control put them in evidence by mistake.
 */
const PATTERNS: readonly RegExp[] = [
  /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, // JWT
  /\b(?:bearer|basic)\s+[A-Za-z0-9\-._~+/]{8,}=*/gi,
  /\bpcl_[a-z]+_[A-Za-z0-9]+_[A-Za-z0-9]+\b/g, // portcullis API keys
  /\b(?:\d[ -]?){13,19}\b/g, // card-like digit runs
];

export function redactText(s: string): string {
  let out = s;
  for (const re of PATTERNS) out = out.replace(re, '[REDACTED]');
  return out;
}

export function redactEvidence(e: Evidence): Evidence {
  const out: Record<string, Evidence[string]> = {};
  for (const [k, v] of Object.entries(e)) {
    if (typeof v === 'string') out[k] = redactText(v);
    else if (Array.isArray(v)) out[k] = v.map((x) => redactText(String(x)));
    else out[k] = v;
  }
  return out;
}

/** Query parameters whose values are never logged. */
const SECRET_PARAMS = /^(?:token|api_key|apikey|access_token|refresh_token|id_token|key|password|secret|code|signature|sig)$/i;

/** A path with its query, secrets masked, for access logs. */
export function redactTarget(path: string, rawQuery: string | null): string {
  if (!rawQuery) return path;
  const parts = rawQuery.split('&').map((p) => {
    const eq = p.indexOf('=');
    const k = eq < 0 ? p : p.slice(0, eq);
    return eq >= 0 && SECRET_PARAMS.test(safeDecode(k)) ? `${k}=[REDACTED]` : redactText(p);
  });
  return `${path}?${parts.join('&')}`;
}

function safeDecode(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}
