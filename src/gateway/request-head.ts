import type { Limits } from '../config/defaults.js';
import type { Finding } from '../core/verdict.js';

/** Fields that must appear at most once (RFC 9112 §3.2 for Host; the rest carry identity or framing). */
const SINGLETONS = new Set(['host', 'authorization', 'content-type', 'content-length', 'transfer-encoding', 'x-api-key', 'cookie', 'proxy-authorization', 'expect']);
/** Fields where bytes outside visible ASCII are refused (Node accepts obs-text). */
const STRICT_VALUE = new Set(['host', 'authorization', 'content-type', 'content-length', 'transfer-encoding', 'x-api-key', 'cookie', 'proxy-authorization']);

export interface RequestHead {
  method: string;
  url: string;
  httpVersion: string;
  rawHeaders: readonly string[];
}

export interface HeadLimits {
  requestTargetBytes: number;
  headerValueBytes: number;
  headerCount: number;
}

export function headLimits(l: Limits, extraSingletons: readonly string[] = []): HeadLimits & { singletons: Set<string> } {
  return {
    requestTargetBytes: l.requestTargetBytes, headerValueBytes: l.headerValueBytes, headerCount: l.headerCount,
    singletons: new Set([...SINGLETONS, ...extraSingletons.map((s) => s.toLowerCase())]),
  };
}

const protocol = (ruleId: string, status: number, detail: string, evidence: Finding['evidence'] = {}): Finding => ({
  ruleId, status, detail, evidence, owasp: 'none', severity: status === 431 || status === 414 ? 'low' : 'medium',
});

/**
 * Checks on the request line and header block that Node's parser does not make (CATALOGUE §A,
 * §D). These are protocol hygiene, not policy: they always block and close the connection, since
 * a client that sends ambiguous framing cannot be trusted with the rest of the stream.
 */
export function inspectHead(req: RequestHead, limits: HeadLimits & { singletons: Set<string> }): Finding | undefined {
  if (req.httpVersion !== '1.1' && req.httpVersion !== '1.0') {
    return protocol('protocol/http-version', 505, 'Only HTTP/1.0 and HTTP/1.1 are accepted.', { version: req.httpVersion.slice(0, 8) });
  }
  if (req.url.length > limits.requestTargetBytes) {
    return protocol('protocol/request-target-too-long', 414, `The request target exceeds ${limits.requestTargetBytes} bytes.`, { bytes: req.url.length });
  }
  const raw = req.rawHeaders;
  if (raw.length / 2 > limits.headerCount) {
    return protocol('protocol/too-many-headers', 431, `More than ${limits.headerCount} header fields.`, { count: raw.length / 2 });
  }
  let seen: Set<string> | undefined;
  let te: string | undefined;
  let teCount = 0;
  let hasCl = false;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const value = raw[i + 1]!;
    if (value.length > limits.headerValueBytes) {
      return protocol('protocol/header-too-large', 431, `A header value exceeds ${limits.headerValueBytes} bytes.`, { header: name.slice(0, 64) });
    }
    if (name.includes('_')) {
      return protocol('protocol/header-underscore', 400, 'Header names with underscores are refused.', { header: name.slice(0, 64) });
    }
    if (limits.singletons.has(name)) {
      seen ??= new Set();
      if (seen.has(name)) return protocol('protocol/duplicate-header', 400, `The ${name} header must appear once.`, { header: name });
      seen.add(name);
    }
    if (STRICT_VALUE.has(name) && !isVisibleAscii(value)) {
      return protocol('protocol/header-bytes', 400, `The ${name} header contains bytes outside visible ASCII.`, { header: name });
    }
    if (name === 'transfer-encoding') { te = value; teCount++; }
    else if (name === 'content-length') hasCl = true;
  }
  if (teCount > 0) {
    if (teCount > 1 || te!.trim().toLowerCase() !== 'chunked') {
      return protocol('protocol/transfer-encoding', 400, 'Transfer-Encoding must be exactly "chunked".', {});
    }
    if (req.httpVersion !== '1.1') return protocol('protocol/transfer-encoding', 400, 'Transfer-Encoding is not allowed with HTTP/1.0.', {});
    if (hasCl) return protocol('protocol/transfer-encoding', 400, 'Content-Length and Transfer-Encoding together are refused.', {});
  }
  return undefined;
}

function isVisibleAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c > 0x7e) return false;
  }
  return true;
}

/** Host = uri-host [ ":" port ], with a reg-name, IPv4 or bracketed IPv6 (RFC 9110 §7.2). */
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?|\[[0-9A-Fa-f:.]{2,45}\])(?::([0-9]{1,5}))?$/;

/** The last Host value found valid: clients of one gateway send the same few, so most checks are one comparison. */
let lastValidHost = '';

export function validHost(host: string | undefined): boolean {
  if (host === undefined || host === '' || host.length > 260) return false;
  if (host === lastValidHost) return true;
  const m = HOST.exec(host);
  if (!m) return false;
  if (m[1] !== undefined && Number(m[1]) > 65535) return false;
  lastValidHost = host;
  return true;
}
