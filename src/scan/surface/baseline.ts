import { randomBytes } from 'node:crypto';
import type { Answer } from './types.js';

/**
 * What the target answers for paths that cannot exist. A host that serves its single-page app for
 * every path (200), or a friendly "not found" page with status 200 (a soft 404), would otherwise
 * make every probe look like a hit. Probes compare their answer with these before any evidence
 * check runs, and the evidence checks ask for content on top.
 */
export function randomSegment(): string {
  return `pc-surface-${randomBytes(6).toString('hex')}`;
}

/** The baseline probes under one base path: a bare name, one with an extension, one a level deeper. */
export function baselinePaths(base: string, token = randomSegment()): string[] {
  return [`${base}/${token}`, `${base}/${token}.json`, `${base}/${token}/${token}`];
}

export function mediaType(a: Pick<Answer, 'headers'>): string {
  return (a.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

function htmlTitle(body: string): string | undefined {
  const m = /<title[^>]*>([^<]{0,200})<\/title>/i.exec(body);
  return m ? m[1]!.trim() : undefined;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The body with every echo of the requested path (raw, encoded, its last segment) replaced, and blanks folded. */
export function normaliseBody(a: Pick<Answer, 'path' | 'body'>): string {
  const path = a.path.split('?')[0]!;
  const last = path.split('/').filter(Boolean).pop();
  const echoes = [...new Set([path, encodeURI(path), last ?? ''].filter((s) => s.length >= 2))].sort((x, y) => y.length - x.length);
  let body = a.body;
  for (const e of echoes) body = body.replace(new RegExp(escapeRegExp(e), 'g'), '{path}');
  return body.replace(/\s+/g, ' ').trim();
}

/** Two answers are the same page: same status and type, and the same body once path echoes are taken out (or the same HTML title and about the same size). */
export function samePage(a: Answer, b: Answer): boolean {
  if (a.status !== b.status || mediaType(a) !== mediaType(b)) return false;
  const na = normaliseBody(a);
  const nb = normaliseBody(b);
  if (na === nb) return true;
  const ta = htmlTitle(a.body);
  const near = Math.abs(na.length - nb.length) <= Math.max(64, 0.1 * Math.max(na.length, nb.length));
  return ta !== undefined && ta === htmlTitle(b.body) && near;
}

/** The probe found nothing there: a 404/410, or the same page the target gives for paths that cannot exist. */
export function isAbsent(a: Answer, baselines: readonly Answer[]): boolean {
  if (a.status === 404 || a.status === 410) return true;
  return baselines.some((b) => samePage(a, b));
}
