import { classifySegment } from '../classify.js';
import { decodeSegment } from '../segments.js';

/**
 * API versions in paths (`/api/v1`, `/v2.1`, `/v1beta1`, `/2.0`), and which are older than
 * another seen or declared beside them: the zombie test. A version is compared with the others
 * under the same prefix (`/api/v1` with `/api/v2`, not with `/admin/v3`); pre-releases are older
 * than their release (`v2beta1` < `v2`).
 */
export interface Version {
  parts: [number, number, number];
  /** 0 alpha, 1 beta, 2 rc/preview, 3 release. */
  stage: number;
  stageNumber: number;
}

const VERSION = /^v?(\d{1,4})(?:\.(\d{1,4}))?(?:\.(\d{1,4}))?(?:-?(alpha|beta|rc|preview)(\d{0,3}))?$/i;
const STAGES: Record<string, number> = { alpha: 0, beta: 1, rc: 2, preview: 2 };

export function parseVersion(segment: string): Version | undefined {
  const text = decodeSegment(segment);
  if (classifySegment(text) !== 'version') return undefined;
  const m = VERSION.exec(text);
  if (!m) return undefined;
  return {
    parts: [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)],
    stage: m[4] ? STAGES[m[4].toLowerCase()]! : 3,
    stageNumber: Number(m[5] || 0),
  };
}

export function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a.parts[i] !== b.parts[i]) return a.parts[i]! - b.parts[i]!;
  return a.stage - b.stage || a.stageNumber - b.stageNumber;
}

export interface VersionedPath {
  /** Literal segments (canonical) or `{}` for variables. */
  segments: readonly string[];
  origin: 'seen' | 'declared';
}

/** Newest version under each prefix: `"/api"` → { segment: 'v2', origin }. */
export class VersionIndex {
  private readonly newest = new Map<string, { segment: string; version: Version; origin: 'seen' | 'declared' }>();

  add(p: VersionedPath): void {
    p.segments.forEach((seg, i) => {
      const v = parseVersion(seg);
      if (!v) return;
      const prefix = `/${p.segments.slice(0, i).join('/')}`;
      const cur = this.newest.get(prefix);
      const cmp = cur ? compareVersions(v, cur.version) : 1;
      if (cmp > 0 || (cmp === 0 && cur && cur.origin === 'seen' && p.origin === 'declared')) this.newest.set(prefix, { segment: seg, version: v, origin: p.origin });
    });
  }

  /** Why `segments` is an older version (`/api/v2 is declared beside /api/v1`), or undefined. */
  older(segments: readonly string[]): string | undefined {
    for (let i = 0; i < segments.length; i++) {
      const v = parseVersion(segments[i]!);
      if (!v) continue;
      const prefix = `/${segments.slice(0, i).join('/')}`;
      const n = this.newest.get(prefix);
      if (n && compareVersions(v, n.version) < 0) {
        const base = prefix === '/' ? '' : prefix;
        return `older version: ${base}/${n.segment} is ${n.origin === 'declared' ? 'declared' : 'seen'} beside ${base}/${segments[i]}`;
      }
    }
    return undefined;
  }
}
