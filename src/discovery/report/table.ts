import type { DiscoveryResult } from '../pipeline.js';
import type { DiscoveredEndpoint } from './model.js';
import { columns, percent, printable } from './text.js';

/** The default output of `portcullis discover`: one line per endpoint, then the riskiest with their factors. */
const TOP_RISKS = 5;

function row(e: DiscoveredEndpoint): string[] {
  return [
    e.method, printable(e.path, 80), e.status, e.auth.join(',') || '-', e.dataClasses.join(',') || '-', String(e.risk.score),
    String(e.count), e.count > 0 ? percent(e.serverErrorRate) : '-', e.latencyMs ? String(e.latencyMs.p95) : '-', String(e.principals),
    e.lastSeen ?? '-',
  ];
}

export function renderTable(r: DiscoveryResult): string {
  const s = r.summary;
  const out: string[] = [];
  if (r.endpoints.length === 0) out.push('no endpoints: no request was read (see the warnings above)');
  else out.push(columns([['METHOD', 'PATH', 'STATUS', 'AUTH', 'DATA', 'RISK', 'COUNT', '5XX', 'P95 MS', 'CALLERS', 'LAST SEEN'], ...r.endpoints.map(row)]));
  const counts = (['declared', 'shadow', 'zombie', 'orphan'] as const).filter((k) => s.byStatus[k] > 0).map((k) => `${s.byStatus[k]} ${k}`).join(', ');
  const skipped = s.skipped.method + s.skipped.path + s.skipped.overflow;
  out.push('');
  out.push(`${s.endpoints} endpoint${s.endpoints === 1 ? '' : 's'}${counts ? ` (${counts})` : ''} from ${s.records} request${s.records === 1 ? '' : 's'}`
    + (s.window ? `, ${s.window.first} to ${s.window.last}` : '')
    + (skipped > 0 ? `; ${skipped} not attributed (method ${s.skipped.method}, path ${s.skipped.path}, over the endpoint cap ${s.skipped.overflow})` : '')
    + (s.truncated ? '; input cut at the record limit' : ''));
  if (r.limits.learned.length > 0) out.push(`${r.limits.learned.length} rate limit${r.limits.learned.length === 1 ? '' : 's'} learned (--limits-output FILE writes them as portcullis.yaml)`);
  if (!s.specGiven) out.push('no --spec given: every endpoint is undeclared (shadow); pass the OpenAPI document to diff against it');
  const risky = [...r.endpoints].filter((e) => e.risk.score > 0).sort((a, b) => b.risk.score - a.risk.score).slice(0, TOP_RISKS);
  if (risky.length > 0) {
    out.push('', 'Highest risk:');
    for (const e of risky) {
      out.push(`  ${e.risk.score} ${e.method} ${printable(e.path, 80)}`);
      for (const f of e.risk.factors) out.push(`     +${f.points} ${f.id}: ${printable(f.detail, 160)}`);
    }
  }
  return `${out.join('\n')}\n`;
}
