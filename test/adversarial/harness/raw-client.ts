/**
 * A raw HTTP/1.1 client: writes bytes on one fresh TCP socket to 127.0.0.1 and reads until the server
 * closes or the line goes idle, then parses every HTTP response found in what came back.
 */
import { connect } from 'node:net';

export interface ParsedResponse {
  httpVersion: string;
  status: number;
  reason: string;
  /** Header pairs in wire order, names lower-cased. */
  headers: [string, string][];
  body: Buffer;
  /** 1xx responses carry no body and precede the final response. */
  interim: boolean;
}

export interface RawResult {
  responses: ParsedResponse[];
  /** The server closed (FIN or RST) before the idle timeout. */
  closed: boolean;
  /** The connection was reset (RST) rather than closed cleanly. */
  reset: boolean;
  raw: Buffer;
  /** Bytes that did not parse as a complete response (a truncated or malformed tail). */
  leftover: Buffer;
  /** Milliseconds from connect to the end of reading. */
  elapsedMs: number;
}

export interface SendRawOptions {
  /** Idle time after the last byte written or read before giving up. Default 500. */
  timeoutMs?: number;
  /**
   * Shorter idle time that applies once at least one complete final response has been parsed and no
   * partial bytes are pending. Default: `timeoutMs`.
   */
  settleMs?: number;
  /** Hard cap on the whole exchange. Default 10 s. */
  maxMs?: number;
}

export function sendRaw(port: number, bytes: string | Buffer, opts: SendRawOptions = {}): Promise<RawResult> {
  const timeoutMs = opts.timeoutMs ?? 500;
  const settleMs = opts.settleMs ?? timeoutMs;
  const maxMs = opts.maxMs ?? 10_000;
  const payload = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
  const started = Date.now();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let closed = false;
    let reset = false;
    let done = false;
    let idle: NodeJS.Timeout | undefined;
    const sock = connect({ host: '127.0.0.1', port });
    const hard = setTimeout(() => finish(), maxMs);

    const finish = (): void => {
      if (done) return;
      done = true;
      if (idle) clearTimeout(idle);
      clearTimeout(hard);
      sock.destroy();
      const raw = Buffer.concat(chunks);
      const { responses, leftover } = parseResponses(raw, closed);
      resolve({ responses, closed, reset, raw, leftover, elapsedMs: Date.now() - started });
    };
    const arm = (): void => {
      if (idle) clearTimeout(idle);
      const { responses, leftover } = parseResponses(Buffer.concat(chunks), false);
      const settled = responses.some((r) => !r.interim) && leftover.length === 0;
      idle = setTimeout(finish, settled ? settleMs : timeoutMs);
    };

    sock.on('connect', () => {
      sock.write(payload, () => arm());
    });
    sock.on('data', (b: Buffer) => {
      chunks.push(b);
      arm();
    });
    sock.on('end', () => {
      closed = true;
      finish();
    });
    sock.on('error', (err: NodeJS.ErrnoException) => {
      closed = true;
      if (err.code === 'ECONNRESET' || err.code === 'EPIPE') reset = true;
      finish();
    });
    sock.on('close', () => {
      closed = true;
      finish();
    });
  });
}

const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');

/**
 * Parse consecutive HTTP/1.x responses. A body is delimited by chunked coding, then Content-Length,
 * then (only when `eof`) the end of the stream. 1xx, 204 and 304 carry no body.
 */
export function parseResponses(raw: Buffer, eof: boolean): { responses: ParsedResponse[]; leftover: Buffer } {
  const responses: ParsedResponse[] = [];
  let pos = 0;
  while (pos < raw.length) {
    const headEnd = raw.indexOf(HEAD_END, pos);
    if (headEnd < 0) break;
    const head = raw.subarray(pos, headEnd).toString('latin1');
    const lines = head.split('\r\n');
    const m = /^(HTTP\/\d\.\d) (\d{3})(?: (.*))?$/.exec(lines[0] ?? '');
    if (!m) break;
    const headers: [string, string][] = [];
    let bad = false;
    for (const line of lines.slice(1)) {
      const i = line.indexOf(':');
      if (i <= 0) {
        bad = true;
        break;
      }
      headers.push([line.slice(0, i).toLowerCase(), line.slice(i + 1).trim()]);
    }
    if (bad) break;
    const status = Number(m[2]);
    const base = { httpVersion: m[1] ?? '', status, reason: m[3] ?? '', headers, interim: status >= 100 && status < 200 };
    let cursor = headEnd + HEAD_END.length;
    if (base.interim || status === 204 || status === 304) {
      responses.push({ ...base, body: Buffer.alloc(0) });
      pos = cursor;
      continue;
    }
    const te = headers.filter(([k]) => k === 'transfer-encoding').map(([, v]) => v.toLowerCase());
    const cl = headers.filter(([k]) => k === 'content-length').map(([, v]) => v);
    if (te.length > 0 && /(^|,)\s*chunked\s*$/.test(te.join(','))) {
      const decoded = decodeChunked(raw, cursor);
      if (!decoded) break;
      responses.push({ ...base, body: decoded.body });
      pos = decoded.end;
      continue;
    }
    if (cl.length > 0) {
      const n = Number(cl[0]);
      if (!Number.isSafeInteger(n) || n < 0) break;
      if (raw.length - cursor < n) break;
      responses.push({ ...base, body: Buffer.from(raw.subarray(cursor, cursor + n)) });
      pos = cursor + n;
      continue;
    }
    if (!eof) break;
    responses.push({ ...base, body: Buffer.from(raw.subarray(cursor)) });
    cursor = raw.length;
    pos = cursor;
  }
  return { responses, leftover: Buffer.from(raw.subarray(pos)) };
}

/** Decode a chunked body starting at `start`. Undefined when incomplete or malformed. */
export function decodeChunked(raw: Buffer, start: number): { body: Buffer; end: number } | undefined {
  const parts: Buffer[] = [];
  let pos = start;
  for (;;) {
    const lineEnd = raw.indexOf(CRLF, pos);
    if (lineEnd < 0) return undefined;
    const sizeText = raw.subarray(pos, lineEnd).toString('latin1').split(';')[0]?.trim() ?? '';
    if (!/^[0-9a-fA-F]{1,15}$/.test(sizeText)) return undefined;
    const size = parseInt(sizeText, 16);
    pos = lineEnd + 2;
    if (size === 0) {
      // Trailer section: lines until an empty one.
      for (;;) {
        const tEnd = raw.indexOf(CRLF, pos);
        if (tEnd < 0) return undefined;
        const empty = tEnd === pos;
        pos = tEnd + 2;
        if (empty) return { body: Buffer.concat(parts), end: pos };
      }
    }
    if (raw.length < pos + size + 2) return undefined;
    parts.push(raw.subarray(pos, pos + size));
    if (raw[pos + size] !== 0x0d || raw[pos + size + 1] !== 0x0a) return undefined;
    pos += size + 2;
  }
}

/** First value of a response header, names compared lower-case. */
export function responseHeader(r: ParsedResponse, name: string): string | undefined {
  const n = name.toLowerCase();
  return r.headers.find(([k]) => k === n)?.[1];
}
