import type { Severity } from '../core/verdict.js';
import { SEVERITIES, type SurfaceFinding, type SurfaceReport } from '../scan/surface/types.js';

/** Renderers of a `portcullis surface` report: pure functions from the report to text. */

function where(f: SurfaceFinding, target: string): string {
  const origin = new URL(target).origin;
  const url = f.url.startsWith(`${origin}/`) ? f.url.slice(origin.length) : f.url;
  return `${f.method} ${url}${f.status === undefined ? '' : ` (${f.status})`}`;
}

function counts(report: SurfaceReport): string {
  const parts = [...SEVERITIES].reverse().filter((s) => report.summary.bySeverity[s] > 0).map((s) => `${report.summary.bySeverity[s]} ${s}`);
  const n = report.findings.length;
  return n === 0 ? 'no findings' : `${n} finding${n === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export interface TextOptions {
  /** Wraps a severity for display (colour); identity by default. */
  paint?: (severity: Severity, text: string) => string;
}

/** The readable table: one row a finding, its evidence beneath; the summary and notes last. */
export function renderSurfaceText(report: SurfaceReport, opts: TextOptions = {}): string {
  const paint = opts.paint ?? ((_s: Severity, t: string) => t);
  const lines = [`portcullis surface ${report.target} — ${report.summary.requests} requests in ${seconds(report.summary.durationMs)}`, ''];
  if (report.findings.length > 0) {
    const rows = report.findings.map((f) => [f.severity, f.id, where(f, report.target), f.title]);
    const header = ['SEVERITY', 'ID', 'WHERE', 'FINDING'];
    const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
    // Cells after the severity, padded to their column (the last one is not).
    const pad = (cells: string[]): string => cells.map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c + 1]!))).join('  ');
    lines.push(`${header[0]!.padEnd(widths[0]!)}  ${pad(header.slice(1))}`);
    report.findings.forEach((f, i) => {
      const [severity, ...rest] = rows[i]!;
      lines.push(`${paint(f.severity, severity!.padEnd(widths[0]!))}  ${pad(rest).trimEnd()}`);
      lines.push(`${' '.repeat(widths[0]! + 2)}${f.evidence}`);
    });
    lines.push('');
  }
  lines.push(counts(report));
  for (const n of report.summary.notes) lines.push(`note: ${n}`);
  if (report.findings.length > 0) lines.push('Remediation for each finding: --json or --markdown-output FILE.');
  return `${lines.join('\n')}\n`;
}

function cell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** A Markdown report: the summary, a table of findings, then each finding with its remediation. */
export function renderSurfaceMarkdown(report: SurfaceReport): string {
  const s = report.summary;
  const out = [
    `# Surface report: ${cell(report.target)}`,
    '',
    `${s.requests} requests in ${seconds(s.durationMs)}; ${counts(report)}.`,
    '',
    '| severity | count |',
    '| --- | --- |',
    ...[...SEVERITIES].reverse().map((sev) => `| ${sev} | ${s.bySeverity[sev]} |`),
    '',
  ];
  if (s.notes.length > 0) out.push(...s.notes.map((n) => `> ${cell(n)}`), '');
  if (report.findings.length === 0) {
    out.push('No findings.', '');
    return out.join('\n');
  }
  out.push('| severity | id | where | finding | evidence |', '| --- | --- | --- | --- | --- |');
  for (const f of report.findings) out.push(`| ${f.severity} | \`${f.id}\` | \`${cell(where(f, report.target))}\` | ${cell(f.title)} | ${cell(f.evidence)} |`);
  out.push('');
  for (const f of report.findings) {
    out.push(
      `## ${f.severity}: ${cell(f.title)}`,
      '',
      `- id: \`${f.id}\` (${f.owasp}, ${f.cwe})`,
      `- where: \`${cell(where(f, report.target))}\` — ${cell(f.url)}`,
      `- evidence: ${cell(f.evidence)}`,
      `- remediation: ${cell(f.remediation)}`,
      '',
    );
  }
  return out.join('\n');
}
