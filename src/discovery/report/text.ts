/**
 * Text that came from traffic (paths, names) printed safely: controls and bidi overrides become
 * `\uXXXX`, and cells are cut to a width. Templates are already canonical (segments.ts encodes
 * such characters); this is the second line of defence for every other string a report prints.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function printable(s: string, max = 200): string {
  const clean = s.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** Left-aligned columns, two spaces apart. */
export function columns(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n');
}

export function percent(x: number): string {
  if (x === 0) return '0%';
  if (x < 0.01) return '<1%';
  return `${Math.round(x * 100)}%`;
}
