import { accessSync, constants, createReadStream, readFileSync, statSync } from 'node:fs';
import { PortcullisError } from '../errors.js';
import { HAR_DEFAULTS, parseHar, type HarStats } from '../discovery/sources/har.js';
import { readCombinedLog, type CombinedLogOptions } from '../discovery/sources/combined-log.js';
import { readJsonLines } from '../discovery/sources/json-lines.js';
import type { SourceStats, TrafficSource } from '../discovery/sources/lines.js';
import type { TrafficRecord } from '../discovery/sources/record.js';

/**
 * The traffic files of `portcullis discover`, opened for the two passes of the inventory: a HAR
 * is parsed once and replayed; a log is streamed from disk on each pass. Missing, unreadable
 * and malformed files are PortcullisErrors naming the file and the flag.
 */
export type SourceKind = 'har' | 'access-log' | 'json-lines';

export interface SourceFile {
  kind: SourceKind;
  file: string;
}

export interface SourceReport {
  kind: SourceKind;
  file: string;
  records: number;
  /** Entries or lines not read as a record, by reason. */
  skipped: Record<string, number>;
  /** Line numbers of the first bad lines (logs only). */
  badLines?: number[];
}

export interface OpenedSources {
  open: () => AsyncIterable<TrafficRecord>;
  /** What each file gave on the last pass. */
  reports: () => SourceReport[];
  /** Problems worth telling the user that did not stop the run. */
  warnings: () => string[];
}

const FLAG: Record<SourceKind, string> = { har: '--har', 'access-log': '--access-log', 'json-lines': '--json-lines' };

function readError(s: SourceFile, cause: unknown): PortcullisError {
  const code = (cause as NodeJS.ErrnoException)?.code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (cause as Error)?.message ?? String(cause);
  return new PortcullisError('PC_ERR_DISCOVER_READ', `cannot read ${s.file} (${FLAG[s.kind]}): ${why}`, {
    where: FLAG[s.kind], hint: 'Check the path and that the file is readable.', cause,
  });
}

function checkReadable(s: SourceFile): number {
  try {
    const st = statSync(s.file);
    if (!st.isFile()) throw Object.assign(new Error('not a regular file'), { code: st.isDirectory() ? 'EISDIR' : 'EINVAL' });
    accessSync(s.file, constants.R_OK);
    return st.size;
  } catch (cause) {
    throw readError(s, cause);
  }
}

function harRecords(s: SourceFile): { records: TrafficRecord[]; stats: HarStats } {
  const size = checkReadable(s);
  if (size > HAR_DEFAULTS.maxHarBytes) {
    throw new PortcullisError('PC_ERR_DISCOVER_FORMAT', `${s.file} (--har) is ${size} bytes, over the ${HAR_DEFAULTS.maxHarBytes}-byte HAR limit`, {
      where: '--har', hint: 'A HAR is parsed whole; split the capture, or export the traffic as a JSON-lines log (--json-lines), which streams.',
    });
  }
  let text: string;
  try {
    text = readFileSync(s.file, 'utf8');
  } catch (cause) {
    throw readError(s, cause);
  }
  const har = parseHar(text);
  if (har.error) {
    const why = har.error === 'json' ? 'is not JSON' : har.error === 'too-large' ? 'is too large' : 'has no log.entries array';
    throw new PortcullisError('PC_ERR_DISCOVER_FORMAT', `${s.file} (--har) ${why}: not a HAR 1.2 file`, {
      where: '--har', hint: 'Export with "Save all as HAR" in the browser dev tools, or from mitmproxy/Charles; logs go to --access-log or --json-lines.',
    });
  }
  return har;
}

function describeReasons(reasons: Record<string, number>): string {
  return Object.entries(reasons).sort((a, b) => b[1] - a[1]).map(([r, n]) => `${r} ${n}`).join(', ');
}

export function openSources(files: readonly SourceFile[], opts: { trailingDuration?: CombinedLogOptions['trailingDuration'] } = {}): OpenedSources {
  const hars = new Map<SourceFile, { records: TrafficRecord[]; stats: HarStats }>();
  for (const s of files) {
    if (s.kind === 'har') hars.set(s, harRecords(s));
    else checkReadable(s);
  }
  const logStats = new Map<SourceFile, SourceStats>();
  let passes = 0;

  function openLog(s: SourceFile): TrafficSource {
    const stream = createReadStream(s.file);
    return s.kind === 'access-log' ? readCombinedLog(stream, { trailingDuration: opts.trailingDuration }) : readJsonLines(stream);
  }

  /** After the first pass: a log in which no line was a record is the wrong file or the wrong format. */
  function checkFormats(): void {
    for (const [s, st] of logStats) {
      if (st.records > 0 || st.bad === 0) continue;
      const format = s.kind === 'access-log' ? 'an nginx/Apache combined (or common) log entry' : 'a JSON object with a method, a path or URL, a status and a time';
      throw new PortcullisError('PC_ERR_DISCOVER_FORMAT', `${s.file} (${FLAG[s.kind]}): none of its ${st.lines} lines is ${format}`, {
        where: `${s.file}:${st.badLines[0] ?? 1}`,
        details: [`not read: ${describeReasons(st.reasons)}`, `first bad lines: ${st.badLines.slice(0, 5).join(', ')}`],
        hint: s.kind === 'access-log' ? 'Is it compressed (gunzip it first), or a JSON log (use --json-lines)?' : 'Is it a combined access log (use --access-log)? Field names are listed in docs/discovery.md.',
      });
    }
  }

  async function* all(): AsyncGenerator<TrafficRecord> {
    if (passes++ === 1) checkFormats();
    for (const s of files) {
      const har = hars.get(s);
      if (har) { yield* har.records; continue; }
      const src = openLog(s);
      logStats.set(s, src.stats);
      try {
        for await (const r of src) yield r;
      } catch (cause) {
        throw readError(s, cause);
      }
    }
  }

  function reports(): SourceReport[] {
    return files.map((s) => {
      const har = hars.get(s);
      if (har) return { kind: s.kind, file: s.file, records: har.stats.records, skipped: har.stats.skipped };
      const st = logStats.get(s);
      return { kind: s.kind, file: s.file, records: st?.records ?? 0, skipped: st?.reasons ?? {}, badLines: st?.badLines ?? [] };
    });
  }

  function warnings(): string[] {
    const out: string[] = [];
    for (const r of reports()) {
      const bad = Object.values(r.skipped).reduce((a, b) => a + b, 0);
      const first = r.badLines && r.badLines.length > 0 ? `, first at line ${r.badLines.slice(0, 5).join(', ')}` : '';
      const unit = r.kind === 'har' ? (bad === 1 ? 'entry' : 'entries') : bad === 1 ? 'line' : 'lines';
      if (bad > 0) out.push(`${r.file}: ${bad} ${unit} not read (${describeReasons(r.skipped)})${first}`);
      if (r.records === 0) out.push(`${r.file}: no request in it`);
    }
    return out;
  }

  return { open: all, reports, warnings };
}
