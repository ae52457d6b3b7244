import type { DataClass, DataMatch } from './types.js';

/**
 * The replacement for a matched value. Only card numbers keep anything: the last four digits
 * (what PCI DSS allows to display), with separators kept and the other digits as `*`. Every other
 * class becomes a fixed token such as `[email]` that reveals neither content nor length.
 */
export function maskValue(cls: DataClass, value: string): string {
  if (cls !== 'payment-card') return `[${cls}]`;
  let keep = 4;
  let out = '';
  for (let i = value.length - 1; i >= 0; i--) {
    const c = value[i]!;
    const digit = c >= '0' && c <= '9';
    out = (digit && keep-- <= 0 ? '*' : c) + out;
  }
  return out;
}

/**
 * `text` with each match replaced by its mask. Matches need not be sorted; where two overlap, the
 * part of the later one not yet covered is masked too, so nothing it covers is left in clear.
 */
export function maskText(text: string, matches: readonly DataMatch[]): string {
  const sorted = [...matches].sort((a, b) => a.start - b.start);
  let out = '';
  let pos = 0;
  for (const m of sorted) {
    const start = Math.max(m.start, pos, 0);
    const end = Math.min(m.end, text.length);
    if (end <= start) continue;
    out += text.slice(pos, start) + (start === m.start ? maskValue(m.cls, text.slice(start, end)) : `[${m.cls}]`);
    pos = end;
  }
  return out + text.slice(pos);
}
