import { describe, expect, it } from 'vitest';
import type { SurfaceReport } from '../scan/surface/types.js';
import { renderSurfaceMarkdown, renderSurfaceText } from './surface.js';

const report: SurfaceReport = {
  target: 'http://127.0.0.1:3000/',
  summary: { requests: 117, durationMs: 640, bySeverity: { info: 0, low: 0, medium: 1, high: 1, critical: 0 }, skipped: 0, errors: 0, notes: ['transport (TLS, HSTS) not judged: the target is a loopback address'] },
  findings: [
    { id: 'surface:debug-endpoint', owasp: 'API9:2023', cwe: 'CWE-215', severity: 'high', title: 'Debug endpoint leaks secrets', method: 'GET', url: 'http://127.0.0.1:3000/api/v2/debug/config', status: 200, evidence: 'JSON with credential-named members jwtSecret (values withheld)', remediation: 'Remove it.' },
    { id: 'surface:exposed-openapi', owasp: 'API9:2023', cwe: 'CWE-200', severity: 'medium', title: 'OpenAPI/Swagger document published', method: 'GET', url: 'http://127.0.0.1:3000/openapi.json', status: 200, evidence: 'a | b', remediation: 'Do not serve it.' },
  ],
};

describe('surface renderers', () => {
  it('renders an aligned table with the evidence beneath each row', () => {
    expect(renderSurfaceText(report)).toBe([
      'portcullis surface http://127.0.0.1:3000/ — 117 requests in 0.6 s',
      '',
      'SEVERITY  ID                       WHERE                           FINDING',
      'high      surface:debug-endpoint   GET /api/v2/debug/config (200)  Debug endpoint leaks secrets',
      '          JSON with credential-named members jwtSecret (values withheld)',
      'medium    surface:exposed-openapi  GET /openapi.json (200)         OpenAPI/Swagger document published',
      '          a | b',
      '',
      '2 findings: 1 high, 1 medium',
      'note: transport (TLS, HSTS) not judged: the target is a loopback address',
      'Remediation for each finding: --json or --markdown-output FILE.',
      '',
    ].join('\n'));
    expect(renderSurfaceText(report, { paint: (s, t) => `<${s}>${t}` })).toContain('<high>high      surface:debug-endpoint');
  });

  it('says so when there is nothing', () => {
    const empty = { ...report, findings: [], summary: { ...report.summary, notes: [], bySeverity: { info: 0, low: 0, medium: 0, high: 0, critical: 0 } } };
    expect(renderSurfaceText(empty)).toBe('portcullis surface http://127.0.0.1:3000/ — 117 requests in 0.6 s\n\nno findings\n');
    expect(renderSurfaceMarkdown(empty)).toContain('No findings.');
  });

  it('renders Markdown with escaped cells and each remediation', () => {
    const md = renderSurfaceMarkdown(report);
    expect(md).toContain('| medium | `surface:exposed-openapi` | `GET /openapi.json (200)` | OpenAPI/Swagger document published | a \\| b |');
    expect(md).toContain('## high: Debug endpoint leaks secrets\n\n- id: `surface:debug-endpoint` (API9:2023, CWE-215)');
    expect(md).toContain('- remediation: Do not serve it.');
    expect(md).toContain('> transport (TLS, HSTS) not judged');
  });
});
