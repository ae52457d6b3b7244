import type { Answer, CheckInfo, Judgement } from '../types.js';
import { isVersionSegment } from './docs.js';

export const OLD_API_VERSION: CheckInfo = {
  id: 'surface:old-api-version',
  title: 'Older API version still answers',
  owasp: 'API9:2023',
  cwe: 'CWE-1059',
  severity: 'medium',
  remediation: 'Retire old API versions on a published schedule: answer them with 410 Gone (or remove the routes) once the sunset date has passed, and until then give them the same authentication, authorization and limits as the current version, with Deprecation/Sunset headers.',
};

export interface VersionPair {
  /** A concrete path of the newest version (`/api/v2/products`). */
  current: string;
  /** The same path under each older version, newest first (`/api/v1/products`). */
  older: string[];
}

function major(segment: string): number | undefined {
  const m = /^v(\d{1,3})/i.exec(segment);
  return m ? Number(m[1]) : undefined;
}

/**
 * From known paths (a published document's GET paths, the target's own path): the ones under the
 * newest version of each API namespace, with `{params}` filled with `1`, paired with the same path
 * under up to `maxOlder` older major versions. Paths without parameters come first.
 */
export function olderVersionCandidates(paths: Iterable<string>, max = 4, maxOlder = 2): VersionPair[] {
  const parsed: Array<{ ns: string; n: number; segs: string[]; at: number; params: number }> = [];
  for (const p of paths) {
    const segs = p.split('?')[0]!.split('/').filter(Boolean);
    const at = segs.slice(0, 4).findIndex((s) => isVersionSegment(s));
    if (at < 0) continue;
    const n = major(segs[at]!);
    if (n === undefined || n < 2) continue;
    parsed.push({ ns: segs.slice(0, at).join('/'), n, segs, at, params: segs.filter((s) => s.includes('{')).length });
  }
  const newest = new Map<string, number>();
  for (const p of parsed) newest.set(p.ns, Math.max(newest.get(p.ns) ?? 0, p.n));
  const chosen = parsed
    .filter((p) => p.n === newest.get(p.ns))
    .sort((a, b) => a.params - b.params || a.segs.length - b.segs.length);
  const out: VersionPair[] = [];
  const seen = new Set<string>();
  for (const p of chosen) {
    const fill = (segs: string[]): string => `/${segs.map((s) => (s.includes('{') ? s.replace(/\{[^}]*\}/g, '1') : s)).join('/')}`;
    const current = fill(p.segs);
    if (seen.has(current)) continue;
    seen.add(current);
    const older: string[] = [];
    for (let v = p.n - 1; v >= 1 && older.length < maxOlder; v--) {
      const segs = [...p.segs];
      segs[p.at] = `v${v}`;
      older.push(fill(segs));
    }
    out.push({ current, older });
    if (out.length >= max) break;
  }
  return out;
}

/** The older path answers like a live route: 2xx (medium), or asks for credentials (401/403: low). */
export function judgeOldVersion(current: Answer, old: Answer): Judgement | undefined {
  const also = `(${current.method} ${current.path} answers ${current.status})`;
  if (old.status >= 200 && old.status < 300) return { evidence: `${old.method} ${old.path} answers ${old.status} ${also}` };
  if (old.status === 401 || old.status === 403) return { evidence: `${old.method} ${old.path} answers ${old.status}: the route exists behind authentication ${also}`, severity: 'low' };
  return undefined;
}
