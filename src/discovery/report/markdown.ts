import type { DiscoveryResult } from '../pipeline.js';
import type { DiscoveredEndpoint } from './model.js';
import { percent, printable } from './text.js';

/**
 * The Markdown report (`--markdown-output`): summary, the inventory table, then per endpoint
 * the status reasons, risk factors, drift and where sensitive data was seen. Text from traffic
 * is escaped so it cannot close a cell, open a link or inject HTML.
 */
export function md(s: string, max = 200): string {
  return printable(s, max).replace(/[\\`*_[\]<>|#]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : `\\${c}`));
}

function code(s: string): string {
  // A code span cannot hold its own delimiter: backticks and pipes become look-alikes.
  return `\`${printable(s, 120).replace(/`/g, 'ˋ').replace(/\|/g, '¦')}\``;
}

function endpointTable(list: readonly DiscoveredEndpoint[]): string[] {
  const out = ['| method | path | status | auth | data classes | risk | requests | 5xx | p95 ms | callers | last seen |', '| --- | --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |'];
  for (const e of list) {
    out.push(`| ${e.method} | ${code(e.path)} | ${e.status} | ${e.auth.join(', ') || '–'} | ${e.dataClasses.join(', ') || '–'} | ${e.risk.score} | ${e.count} | ${e.count > 0 ? percent(e.serverErrorRate) : '–'} | ${e.latencyMs?.p95 ?? '–'} | ${e.principals} | ${e.lastSeen ?? '–'} |`);
  }
  return out;
}

function details(e: DiscoveredEndpoint): string[] {
  const out = [`### ${e.method} ${code(e.path)}`, ''];
  out.push(`Status **${e.status}**${e.reasons.length > 0 ? `: ${e.reasons.map((r) => md(r)).join('; ')}` : ''}.`);
  if (e.spec) out.push(`Declared as ${code(`${e.spec.method} ${e.spec.path}`)}${e.spec.operationId ? ` (${code(e.spec.operationId)})` : ''}${e.spec.deprecated ? ', deprecated' : ''}.`);
  out.push('', `Risk **${e.risk.score}**/100.`);
  if (e.risk.factors.length > 0) {
    out.push('', '| factor | points | why |', '| --- | ---: | --- |');
    for (const f of e.risk.factors) out.push(`| ${f.id} | ${f.points} | ${md(f.detail)} |`);
  }
  if (e.dataFields.length > 0) {
    out.push('', 'Sensitive data seen (field names, never values):', '');
    for (const f of e.dataFields) out.push(`- ${f.cls} in ${f.in}${f.pointer ? ` ${code(f.pointer)}` : ''}`);
  }
  if (e.drift.length > 0) {
    out.push('', 'Drift from the spec:', '');
    for (const d of e.drift) out.push(`- ${d.kind} at ${code(d.where)}: ${md(d.detail)}`);
  }
  if (e.rateLimit) {
    const l = e.rateLimit;
    out.push('', `Learned limit ${code(l.rate)} per caller (p50 ${l.p50}, p90 ${l.p90}, p99 ${l.p99}, max ${l.max} over ${l.samples} caller-windows; confidence ${l.confidence}).`);
  }
  if (e.count > 0) {
    const statuses = Object.entries(e.statuses).map(([s, n]) => `${s}×${n}`).join(', ');
    out.push('', `Requests ${e.count} (${statuses}); callers ${e.principals}${e.principalsEstimated ? ' (estimated)' : ''}; latency ${e.latencyMs ? `p50 ${e.latencyMs.p50} / p95 ${e.latencyMs.p95} / p99 ${e.latencyMs.p99} ms` : 'not logged'}; first seen ${e.firstSeen}, last seen ${e.lastSeen}.`);
  }
  out.push('');
  return out;
}

export function renderMarkdown(r: DiscoveryResult): string {
  const s = r.summary;
  const out = ['# API inventory', ''];
  out.push(`${s.endpoints} endpoints from ${s.records} requests${s.window ? `, ${s.window.first} to ${s.window.last}` : ''}.`, '');
  out.push('| declared | shadow | zombie | orphan |', '| ---: | ---: | ---: | ---: |', `| ${s.byStatus.declared} | ${s.byStatus.shadow} | ${s.byStatus.zombie} | ${s.byStatus.orphan} |`, '');
  if (!s.specGiven) out.push('No spec was given: every endpoint seen is undeclared. Run with `--spec openapi.yaml` to diff against the contract.', '');
  const skipped = s.skipped.method + s.skipped.path + s.skipped.overflow;
  if (skipped > 0) out.push(`${skipped} requests were not attributed to an endpoint (method OpenAPI cannot describe: ${s.skipped.method}, path not templated: ${s.skipped.path}, past the endpoint cap: ${s.skipped.overflow}).`, '');
  out.push('## Endpoints', '', ...endpointTable(r.endpoints), '');
  if (r.limits.learned.length > 0) {
    out.push('## Learned rate limits', '', 'Per caller and window, from the traffic seen (`--limits-output` writes them as portcullis.yaml).', '');
    out.push('| operation | rate | p50 | p90 | p99 | max | caller-windows | callers | confidence |', '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const l of r.limits.learned) out.push(`| ${code(l.operation)} | ${l.rate} | ${l.p50} | ${l.p90} | ${l.p99} | ${l.max} | ${l.samples} | ${l.principals} | ${l.confidence} |`);
    out.push('');
  }
  const ranked = [...r.endpoints].sort((a, b) => b.risk.score - a.risk.score || (a.path < b.path ? -1 : 1));
  out.push('## Details, riskiest first', '');
  for (const e of ranked) out.push(...details(e));
  return `${out.join('\n').trimEnd()}\n`;
}
