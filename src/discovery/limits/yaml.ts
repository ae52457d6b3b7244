import { printable } from '../report/text.js';
import type { LearnedLimit, Unlimited } from './learn.js';

/**
 * The learned limits as a portcullis.yaml fragment, ready to paste under the top level: the
 * rate-limit control in monitor mode, one limit per endpoint (the control's buckets are per
 * limit and key, so endpoints never share one), each with a comment giving the figures behind
 * it. At most MAX_LIMITS limits (the config schema's bound), the busiest endpoints first.
 * Every string from traffic is JSON-quoted (valid YAML) and comments are printable one-liners.
 */
export const MAX_LIMITS = 100;

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function limitName(l: LearnedLimit, used: Set<string>): string {
  const base = `learned-${slug(l.operation)}`.slice(0, 60).replace(/-$/, '');
  let name = base;
  for (let n = 2; used.has(name); n++) name = `${base.slice(0, 60 - String(n).length - 1)}-${n}`;
  used.add(name);
  return name;
}

function windowText(ms: number): string {
  return ms === 1000 ? 'second' : ms === 60_000 ? 'minute' : ms === 3_600_000 ? 'hour' : 'day';
}

export interface LimitsHeader {
  records: number;
  window: { first: string; last: string } | null;
}

export function renderLimitsYaml(limits: readonly LearnedLimit[], unlimited: readonly Unlimited[], header: LimitsHeader): string {
  const kept = [...limits].sort((a, b) => b.samples - a.samples || (a.operation < b.operation ? -1 : 1)).slice(0, MAX_LIMITS);
  const out = [
    `# Rate limits learned by \`portcullis discover\` from ${header.records} requests${header.window ? `, ${header.window.first} to ${header.window.last}` : ''}.`,
    '# Each: the p99 of requests per caller per window, with headroom (x2 at low confidence, x1.5 medium, x1.25 high),',
    '# at least 10 per window. Paste at the top level of portcullis.yaml (merge with an existing controls section),',
    '# watch the rate-limit events in monitor mode, then set mode: block.',
  ];
  if (kept.length === 0) out.push('# No endpoint had callers to learn from.');
  out.push('controls:', '  rate-limit:', '    mode: monitor', `    limits:${kept.length === 0 ? ' []' : ''}`);
  const used = new Set<string>();
  for (const l of kept) {
    const who = `${l.samples} caller-${windowText(l.windowMs)}s, ${l.principals} caller${l.principals === 1 ? '' : 's'}`;
    out.push(`      # ${printable(`${l.method} ${l.path}`, 160)}: p50 ${l.p50}, p90 ${l.p90}, p99 ${l.p99}, max ${l.max} per ${windowText(l.windowMs)} over ${who} (confidence ${l.confidence})`);
    out.push(`      - name: ${limitName(l, used)}`, '        key: principal', `        rate: ${l.rate}`, `        operations: [${JSON.stringify(l.operation)}]`);
  }
  const dropped = limits.length - kept.length;
  if (dropped > 0 || unlimited.length > 0) out.push('# Not limited:');
  if (dropped > 0) out.push(`#   ${dropped} quieter endpoints: the config holds at most ${MAX_LIMITS} limits`);
  for (const u of unlimited) out.push(`#   ${printable(`${u.method} ${u.path}`, 160)}: ${printable(u.reason, 200)}`);
  return `${out.join('\n')}\n`;
}
