import { SOURCE_DEFAULTS, type TrafficRecord } from './record.js';

/**
 * Line-by-line reading in constant memory. `node:readline` would do the splitting, but it holds
 * a whole line before handing it over, so one 2 GB line (a log of binary junk, a missing
 * newline) would be held whole; here a line past `maxLineLength` bytes is dropped as it streams
 * and only counted.
 */
export type Line = { number: number; text: string } | { number: number; tooLong: true };

export type LineInput = AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

export async function* readLines(input: LineInput, maxLineLength: number): AsyncGenerator<Line> {
  let parts: Buffer[] = [];
  let size = 0;
  let skipping = false;
  let number = 0;
  const finish = (end: Buffer): Line => {
    number++;
    if (skipping) return { number, tooLong: true };
    let buf = parts.length === 0 ? end : Buffer.concat([...parts, end]);
    if (buf.length > 0 && buf[buf.length - 1] === 0x0d) buf = buf.subarray(0, buf.length - 1);
    return { number, text: buf.toString('utf8') };
  };
  for await (const chunk of input) {
    // '\n' never occurs inside a UTF-8 sequence, so splitting bytes is safe.
    let buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (;;) {
      const nl = buf.indexOf(0x0a);
      if (nl < 0) break;
      const head = buf.subarray(0, nl);
      if (!skipping && size + head.length > maxLineLength) skipping = true;
      yield finish(head);
      parts = [];
      size = 0;
      skipping = false;
      buf = buf.subarray(nl + 1);
    }
    if (buf.length === 0) continue;
    if (skipping) continue;
    if (size + buf.length > maxLineLength) {
      skipping = true;
      parts = [];
      size = 0;
    } else {
      // Copied: the caller may reuse the chunk's memory.
      parts.push(Buffer.from(buf));
      size += buf.length;
    }
  }
  if (skipping || size > 0) yield finish(Buffer.alloc(0));
}

/** What reading a log did; updated as records are read. */
export interface SourceStats {
  lines: number;
  records: number;
  blank: number;
  /** Lines not read as a record (tooLong included), by reason. */
  bad: number;
  reasons: Record<string, number>;
  /** Line numbers of the first bad lines, for a report. */
  badLines: number[];
}

export const MAX_BAD_LINES_LISTED = 20;

/** A log read once as it is iterated; `stats` fills in as it goes. */
export interface TrafficSource extends AsyncIterable<TrafficRecord> {
  readonly stats: SourceStats;
}

/** A line's record, or why it is not one (a short stable word: `request`, `status`, `json`…). */
export type LineParser = (line: string) => TrafficRecord | string;

export function lineSource(input: LineInput, parse: LineParser, maxLineLength = SOURCE_DEFAULTS.maxLineLength): TrafficSource {
  const stats: SourceStats = { lines: 0, records: 0, blank: 0, bad: 0, reasons: {}, badLines: [] };
  const bad = (number: number, reason: string) => {
    stats.bad++;
    stats.reasons[reason] = (stats.reasons[reason] ?? 0) + 1;
    if (stats.badLines.length < MAX_BAD_LINES_LISTED) stats.badLines.push(number);
  };
  let used = false;
  return {
    stats,
    async *[Symbol.asyncIterator]() {
      if (used) throw new Error('a log source is read once');
      used = true;
      for await (const line of readLines(input, maxLineLength)) {
        stats.lines++;
        if ('tooLong' in line) { bad(line.number, 'too-long'); continue; }
        if (line.text.trim() === '') { stats.blank++; continue; }
        let r: TrafficRecord | string;
        try {
          r = parse(line.text);
        } catch {
          r = 'error'; // a parser bug must not end the read
        }
        if (typeof r === 'string') { bad(line.number, r); continue; }
        stats.records++;
        yield r;
      }
    },
  };
}
