import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS, PATH_PROBES } from './index.js';

const doc = readFileSync(new URL('../../../../docs/surface.md', import.meta.url), 'utf8');

describe('the surface checks', () => {
  it('have unique surface:<name> ids, each documented in docs/surface.md with its category, CWE and severity', () => {
    expect(new Set(ALL_CHECKS.map((c) => c.id)).size).toBe(ALL_CHECKS.length);
    for (const c of ALL_CHECKS) {
      expect(c.id).toMatch(/^surface:[a-z0-9-]+$/);
      expect(doc, c.id).toContain(`| \`${c.id}\` | ${c.owasp.replace(':2023', '')} | ${c.cwe} | ${c.severity} |`);
    }
  });

  it('document no id that does not exist', () => {
    const documented = [...doc.matchAll(/`(surface:[a-z0-9-]+)`/g)].map((m) => m[1]);
    for (const id of documented) expect(ALL_CHECKS.map((c) => c.id)).toContain(id);
  });

  it('probe each path once, relative to a root', () => {
    const paths = PATH_PROBES.flatMap((p) => p.paths);
    expect(new Set(paths).size).toBe(paths.length);
    for (const p of paths) expect(p.startsWith('/'), p).toBe(false);
  });
});
