/**
 * The shape of one adversarial row and the rendering of its bytes.
 *
 * A row is plain data: the request bytes (JS string escapes, one char = one byte, latin1), what the
 * client must see, and optionally what the upstream must (or must not) see. The invariants P1–P4 are
 * checked for every row on top of its own expectation (see invariants.ts).
 */

/** What the client must observe. A list of these in `expect` means "any one of them". */
export interface Expect {
  /** Status of the first final (non-1xx) response; a list means any of them. */
  status?: number | number[];
  /** Statuses of the final responses in order (for pipelined rows). */
  statuses?: (number | number[])[];
  /** true: the last response says `Connection: close` and the server then closes the socket ("400c"). */
  closed?: boolean;
  /** Number of final responses. */
  responses?: number;
  /** No `100 Continue` may be sent (A20). */
  noInterim?: boolean;
}

/** How one upstream header must look. `null` = absent. */
export type HeaderMatch =
  | null
  | string
  | { notEqual: string }
  | { notContains: string }
  /** Last comma-separated item equals `value`; when `optional`, the header may also be absent. */
  | { lastItem: string; optional?: boolean };

export interface UpstreamExpect {
  /** Exact number of upstream requests. Omitted: P1 decides (= number of 2xx/3xx relayed). */
  count?: number;
  /** Method of every upstream request. Default: the method of the row's request line. */
  method?: string;
  /** Exact request-target of every upstream request (canonical path + untouched query). */
  target?: string;
  /** Exact body of the (single) upstream request, latin1. */
  body?: string;
  bodyLength?: number;
  /** Per-header checks on every upstream request, names case-insensitive. */
  headers?: Record<string, HeaderMatch>;
}

export interface AdversarialCase {
  /** Catalogue id plus variant letter: `A4c`. Benign controls end in `0` (`E0a`). */
  id: string;
  title: string;
  /** Where the case comes from (CVE, http-garden issue, RFC section). */
  source?: string;
  /**
   * Raw request bytes. Placeholders: `{{H}}` Host line, `{{U}}` user-1 JWT Authorization line, `{{Z}}`
   * admin JWT line, `{{F}}` forged admin JWT line (wrong key), `{{LEN}}` byte length of everything
   * after the first blank line (the body).
   */
  bytes: string;
  expect: Expect | Expect[];
  upstream?: UpstreamExpect;
  /**
   * The gateway may answer this request itself with a 2xx (e.g. `OPTIONS *`): a 2xx/3xx without the
   * recorder's `X-Upstream-Seq` header is then not counted as relayed by P1.
   */
  gatewayMayAnswer?: boolean;
  /** Idle timeout before the first response (ms). Default from the suite. */
  timeoutMs?: number;
}

export interface RenderContext {
  host: string;
  userToken: string;
  adminToken: string;
  forgedAdminToken: string;
}

/** Substitute placeholders and return the bytes (latin1: one char, one byte). */
export function renderBytes(template: string, ctx: RenderContext): Buffer {
  let s = template
    .replaceAll('{{H}}', `Host: ${ctx.host}\r\n`)
    .replaceAll('{{U}}', `Authorization: Bearer ${ctx.userToken}\r\n`)
    .replaceAll('{{Z}}', `Authorization: Bearer ${ctx.adminToken}\r\n`)
    .replaceAll('{{F}}', `Authorization: Bearer ${ctx.forgedAdminToken}\r\n`);
  if (s.includes('{{LEN}}')) {
    const at = s.indexOf('\r\n\r\n');
    if (at < 0) throw new Error('{{LEN}} needs a blank line ending the head');
    const bodyLen = Buffer.byteLength(s.slice(at + 4), 'latin1');
    s = s.replaceAll('{{LEN}}', String(bodyLen));
  }
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0xff) throw new Error(`row bytes contain a char above 0xff at ${i}; write bytes as \\xNN`);
  }
  return Buffer.from(s, 'latin1');
}

/** Method of the first request line (for the P2 default), e.g. `PUT`. */
export function requestMethod(bytes: Buffer): string {
  const line = bytes.subarray(0, Math.max(0, bytes.indexOf(0x20))).toString('latin1');
  return line;
}

/**
 * The body a well-formed single request carries: by chunked coding (de-chunked) or Content-Length.
 * Undefined when the bytes are not one clean HTTP/1.1 message (then no exact body is expected).
 */
export function cleanRequestBody(bytes: Buffer): Buffer | undefined {
  const headEnd = bytes.indexOf('\r\n\r\n');
  if (headEnd < 0) return undefined;
  const lines = bytes.subarray(0, headEnd).toString('latin1').split('\r\n');
  if (!/^[A-Z]+ \S+ HTTP\/1\.1$/.test(lines[0] ?? '')) return undefined;
  const te: string[] = [];
  const cl: string[] = [];
  for (const line of lines.slice(1)) {
    const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*?)[ \t]*$/.exec(line);
    if (!m) return undefined;
    const name = (m[1] ?? '').toLowerCase();
    if (name === 'transfer-encoding') te.push(m[2] ?? '');
    if (name === 'content-length') cl.push(m[2] ?? '');
  }
  const rest = bytes.subarray(headEnd + 4);
  if (te.length > 0) {
    if (te.length !== 1 || te[0]?.toLowerCase() !== 'chunked' || cl.length > 0) return undefined;
    const parts: Buffer[] = [];
    let pos = 0;
    for (;;) {
      const lineEnd = rest.indexOf('\r\n', pos);
      if (lineEnd < 0) return undefined;
      const size = rest.subarray(pos, lineEnd).toString('latin1').split(';')[0] ?? '';
      if (!/^[0-9a-fA-F]{1,8}$/.test(size)) return undefined;
      const n = parseInt(size, 16);
      pos = lineEnd + 2;
      if (n === 0) return Buffer.concat(parts);
      parts.push(rest.subarray(pos, pos + n));
      pos += n + 2;
    }
  }
  if (cl.length > 1) return undefined;
  if (cl.length === 1) {
    if (!/^\d+$/.test(cl[0] ?? '')) return undefined;
    const n = parseInt(cl[0] ?? '', 10);
    if (rest.length !== n) return undefined;
    return Buffer.from(rest);
  }
  return rest.length === 0 ? Buffer.alloc(0) : undefined;
}
