import { isIP } from 'node:net';
import { principalHash } from './principal.js';
import { lineSource, type LineInput, type TrafficSource } from './lines.js';
import { parseQuery, splitTarget } from './query.js';
import { SOURCE_DEFAULTS, type SourceOptions, type TrafficRecord } from './record.js';

/**
 * nginx `combined` and Apache `%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-agent}i\"`
 * access logs (the common format, without the last two fields, too):
 *
 *   203.0.113.9 - - [10/Oct/2024:13:55:36 +0200] "GET /orders/8812?expand=items HTTP/1.1" 200 512 "-" "curl/8.5.0"
 *
 * Quoted fields may hold escapes (nginx writes `\x22`, Apache `\"`). Clients may be IPv6
 * addresses; host names (HostnameLookups) are not kept as `clientIp`. The user field (a basic-auth
 * user name, personal data) is not kept: only its salted hash, as the record's `principal`.
 */
export interface CombinedLogOptions extends SourceOptions {
  /**
   * The unit of a number logged after the user agent, if the format appends one: nginx
   * `$request_time` is in seconds, Apache `%D` in microseconds, `%{ms}T` in milliseconds.
   */
  trailingDuration?: 'seconds' | 'milliseconds' | 'microseconds';
}

const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };
const CLF_TIME = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/;
const METHOD = /^[A-Z][A-Z0-9_-]{0,19}$/;
const UNIT_MS = { seconds: 1000, milliseconds: 1, microseconds: 0.001 } as const;

export function parseClfTime(s: string): number | undefined {
  const m = CLF_TIME.exec(s);
  if (!m) return undefined;
  const month = MONTHS[m[2]!];
  if (month === undefined) return undefined;
  const utc = Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  const offset = (Number(m[8]) * 60 + Number(m[9])) * (m[7] === '-' ? -1 : 1);
  const t = utc - offset * 60_000;
  return Number.isFinite(t) ? t : undefined;
}

/** A tiny cursor over one line: unquoted tokens, `[…]` and `"…"` fields. */
class Cursor {
  i = 0;
  constructor(readonly s: string) {}

  private skipSpaces(): void {
    while (this.s.charCodeAt(this.i) === 0x20 || this.s.charCodeAt(this.i) === 0x09) this.i++;
  }

  get done(): boolean {
    this.skipSpaces();
    return this.i >= this.s.length;
  }

  token(): string | undefined {
    this.skipSpaces();
    const start = this.i;
    while (this.i < this.s.length && this.s.charCodeAt(this.i) !== 0x20 && this.s.charCodeAt(this.i) !== 0x09) this.i++;
    return this.i > start ? this.s.slice(start, this.i) : undefined;
  }

  bracketed(): string | undefined {
    this.skipSpaces();
    if (this.s[this.i] !== '[') return undefined;
    const end = this.s.indexOf(']', this.i + 1);
    if (end < 0) return undefined;
    const v = this.s.slice(this.i + 1, end);
    this.i = end + 1;
    return v;
  }

  /** A `"…"` field with `\"`, `\\` and `\xHH` escapes decoded (bytes as UTF-8). */
  quoted(): string | undefined {
    this.skipSpaces();
    if (this.s[this.i] !== '"') return undefined;
    const bytes: number[] = [];
    let out = '';
    const flush = () => {
      if (bytes.length > 0) { out += Buffer.from(bytes).toString('utf8'); bytes.length = 0; }
    };
    for (let i = this.i + 1; i < this.s.length; i++) {
      const c = this.s[i]!;
      if (c === '"') {
        flush();
        this.i = i + 1;
        return out;
      }
      if (c === '\\' && i + 1 < this.s.length) {
        const n = this.s[i + 1]!;
        if (n === 'x' && /^[0-9A-Fa-f]{2}$/.test(this.s.slice(i + 2, i + 4))) {
          bytes.push(parseInt(this.s.slice(i + 2, i + 4), 16));
          i += 3;
          continue;
        }
        flush();
        out += n === 'n' ? '\n' : n === 't' ? '\t' : n;
        i++;
        continue;
      }
      flush();
      out += c;
    }
    return undefined; // unterminated
  }
}

/** Referrers keep their origin and path only: their query strings carry other sites' tokens. */
function stripReferrer(r: string): string {
  const cut = r.search(/[?#]/);
  return cut < 0 ? r : r.slice(0, cut);
}

export function parseCombinedLine(line: string, options: CombinedLogOptions = {}): TrafficRecord | string {
  const o = { ...SOURCE_DEFAULTS, ...options };
  const c = new Cursor(line);
  const host = c.token();
  const ident = c.token();
  const user = c.token();
  if (host === undefined || ident === undefined || user === undefined) return 'fields';
  const timeText = c.bracketed();
  if (timeText === undefined) return 'time';
  const time = parseClfTime(timeText);
  if (time === undefined) return 'time';
  const request = c.quoted();
  if (request === undefined) return 'request';
  const parts = request.split(' ');
  if (parts.length < 2 || parts.length > 3) return 'request';
  const [method, target] = parts as [string, string];
  if (!METHOD.test(method)) return 'request';
  const split = splitTarget(target);
  if (!split) return 'request'; // `*`, CONNECT authorities, junk
  const statusText = c.token();
  if (statusText === undefined || !/^[1-5]\d{2}$/.test(statusText)) return 'status';
  const bytes = c.token();
  if (bytes === undefined || !/^(?:\d{1,15}|-)$/.test(bytes)) return 'bytes';

  const headers: Record<string, string> = {};
  if (!c.done) {
    const referer = c.quoted();
    const agent = referer === undefined ? undefined : c.quoted();
    if (referer === undefined || agent === undefined) return 'quoted';
    if (referer !== '-' && referer !== '') headers['referer'] = stripReferrer(referer).slice(0, o.maxValueLength);
    if (agent !== '-' && agent !== '') headers['user-agent'] = agent.slice(0, o.maxValueLength);
  }
  const record: TrafficRecord = { method, path: split.path, query: parseQuery(split.search, o.maxQueryParams, o.maxValueLength), status: Number(statusText), time, requestHeaders: headers };
  if (options.trailingDuration && !c.done) {
    const d = c.token();
    if (d !== undefined && /^\d{1,12}(?:\.\d{1,9})?$/.test(d)) record.durationMs = Number(d) * UNIT_MS[options.trailingDuration];
  }
  if (isIP(host)) record.clientIp = host;
  // The user field is set by HTTP authentication (nginx $remote_user is the Basic user name): a
  // request with one came with Basic credentials; without one, the log does not say.
  if (user !== '-' && user !== '') {
    record.principal = principalHash('user', user);
    record.requestHeaders['authorization'] = 'basic';
  } else record.authUnknown = true;
  return record;
}

/** Reads a combined (or common) access log as it streams; bad lines are counted in `stats`, never thrown. */
export function readCombinedLog(input: LineInput, options: CombinedLogOptions = {}): TrafficSource {
  return lineSource(input, (line) => parseCombinedLine(line, options), options.maxLineLength);
}
