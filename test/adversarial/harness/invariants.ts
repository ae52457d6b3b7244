/**
 * Checks for one adversarial case: the row's own expectation, then the catalogue invariants
 * P1 count, P2 identity, P3 framing and P4 (blocked ⇒ nothing upstream). P5 (liveness) needs the live
 * gateway and is checked by the suite. Every check returns human-readable failures instead of throwing,
 * so one run reports everything a row got wrong.
 */
import type { AdversarialCase, Expect, HeaderMatch } from './case.js';
import { cleanRequestBody, requestMethod } from './case.js';
import type { ParsedResponse, RawResult } from './raw-client.js';
import { responseHeader } from './raw-client.js';
import type { RecordedRequest, RecorderParseError } from './recorder.js';
import { headerValues } from './recorder.js';

export interface CaseOutcome {
  bytes: Buffer;
  result: RawResult;
  upstream: RecordedRequest[];
  upstreamErrors: RecorderParseError[];
}

export interface InvariantContext {
  /** The `Host` the upstream must get: the configured upstream authority, e.g. `127.0.0.1:4312`. */
  upstreamHost: string;
  /** Request-targets that are canonical declared operations (P2 default when a row names none). */
  canonicalTarget: RegExp;
}

/** Client hop-by-hop and framing headers that must never reach the upstream (P3). */
export const FORBIDDEN_UPSTREAM_HEADERS = [
  'transfer-encoding', 'te', 'trailer', 'upgrade', 'expect', 'keep-alive', 'proxy-connection', 'http2-settings',
];

const isFinal = (r: ParsedResponse): boolean => !r.interim;
/** 2xx/3xx final responses; with `gatewayMayAnswer`, only those that came from the recorder. */
const relayedCount = (rs: ParsedResponse[], gatewayMayAnswer = false): number =>
  rs.filter((r) => isFinal(r) && r.status >= 200 && r.status < 400 && (!gatewayMayAnswer || responseHeader(r, 'x-upstream-seq') !== undefined)).length;

export function describeOutcome(o: CaseOutcome): string {
  const rs = o.result.responses.map((r) => `${r.status}${responseHeader(r, 'connection') === 'close' ? 'c' : ''}`).join(',') || 'none';
  const up = o.upstream.map((u) => `${u.method} ${u.target}`).join(' | ') || 'UP∅';
  const extra = o.result.leftover.length > 0 ? ` leftover=${JSON.stringify(o.result.leftover.subarray(0, 80).toString('latin1'))}` : '';
  return `responses=[${rs}] closed=${o.result.closed} upstream=[${up}]${extra} (${o.result.elapsedMs} ms)`;
}

function statusMatches(actual: number | undefined, want: number | number[]): boolean {
  if (actual === undefined) return false;
  return Array.isArray(want) ? want.includes(actual) : actual === want;
}

/** Failures of one `Expect` alternative; empty = it matches. */
export function checkExpect(e: Expect, result: RawResult): string[] {
  const out: string[] = [];
  const finals = result.responses.filter(isFinal);
  if (e.status !== undefined && !statusMatches(finals[0]?.status, e.status)) {
    out.push(`status ${finals[0]?.status ?? 'none'} ≠ expected ${JSON.stringify(e.status)}`);
  }
  if (e.statuses !== undefined) {
    const got = finals.map((r) => r.status);
    const ok = got.length === e.statuses.length && e.statuses.every((w, i) => statusMatches(got[i], w));
    if (!ok) out.push(`statuses ${JSON.stringify(got)} ≠ expected ${JSON.stringify(e.statuses)}`);
  }
  if (e.responses !== undefined && finals.length !== e.responses) {
    out.push(`${finals.length} responses ≠ expected ${e.responses}`);
  }
  if (e.closed === true) {
    const last = finals[finals.length - 1];
    if (!result.closed) out.push('socket left open (expected the gateway to close it)');
    if (last && responseHeader(last, 'connection')?.toLowerCase() !== 'close') out.push(`last response lacks "Connection: close"`);
  }
  if (e.closed === false && result.closed) out.push('socket closed (expected it to stay open)');
  if (e.noInterim && result.responses.some((r) => r.interim)) out.push('an interim 1xx response was sent');
  if (finals.length === 0) out.push(result.closed ? 'closed without any response' : 'no response before the idle timeout (desync?)');
  return out;
}

function checkHeader(name: string, m: HeaderMatch, values: string[]): string | undefined {
  const shown = `${name}: ${JSON.stringify(values)}`;
  if (m === null) return values.length > 0 ? `upstream got ${shown}, expected it absent` : undefined;
  if (typeof m === 'string') return values.length === 1 && values[0] === m ? undefined : `upstream ${shown} ≠ ${JSON.stringify(m)}`;
  if ('notEqual' in m) return values.some((v) => v === m.notEqual) ? `upstream ${shown} carries the client value` : undefined;
  if ('notContains' in m) return values.some((v) => v.includes(m.notContains)) ? `upstream ${shown} contains ${JSON.stringify(m.notContains)}` : undefined;
  if (values.length === 0) return m.optional ? undefined : `upstream lacks ${name}`;
  const last = values.join(',').split(',').pop()?.trim();
  return last === m.lastItem ? undefined : `upstream ${shown}: last item ${JSON.stringify(last)} ≠ ${JSON.stringify(m.lastItem)}`;
}

/** Every failure of the row expectation and of P1–P4 for one case. */
export function checkCase(row: AdversarialCase, o: CaseOutcome, ctx: InvariantContext): string[] {
  const failures: string[] = [];
  const alternatives = Array.isArray(row.expect) ? row.expect : [row.expect];
  const perAlt = alternatives.map((e) => checkExpect(e, o.result));
  if (!perAlt.some((f) => f.length === 0)) {
    failures.push(alternatives.length === 1 ? `expect: ${(perAlt[0] ?? []).join('; ')}` : `expect (none of ${alternatives.length} alternatives): ${perAlt.map((f) => f.join('; ')).join(' || ')}`);
  }
  // Framing towards the client: after a response that says `Connection: close`, nothing more may follow
  // (RFC 9112 §9.6); a second response there answers bytes the gateway said it would not read.
  const finals = o.result.responses.filter(isFinal);
  const closeAt = finals.findIndex((r) => /(^|,)\s*close\s*(,|$)/i.test(responseHeader(r, 'connection') ?? ''));
  if (closeAt >= 0 && (closeAt < finals.length - 1 || o.result.leftover.length > 0)) {
    failures.push(`client framing: ${finals.length - closeAt - 1} response(s)${o.result.leftover.length > 0 ? ' and stray bytes' : ''} after a "Connection: close" response (${finals.map((r) => r.status).join(',')})`);
  }
  // Blocked requests are answered with problem+json (RFC 9457), whatever check refused them.
  for (const r of finals) {
    if (r.status >= 400 && !/^application\/problem\+json\b/i.test(responseHeader(r, 'content-type') ?? '')) {
      failures.push(`problem+json: ${r.status} answered with Content-Type ${JSON.stringify(responseHeader(r, 'content-type') ?? null)}`);
    }
  }

  const relayed = relayedCount(o.result.responses, row.gatewayMayAnswer);
  const ups = o.upstream;

  // P1 count.
  if (ups.length !== relayed) failures.push(`P1: upstream got ${ups.length} request(s) but the gateway relayed ${relayed} 2xx/3xx`);
  if (row.upstream?.count !== undefined && ups.length !== row.upstream.count) {
    failures.push(`upstream.count: ${ups.length} ≠ expected ${row.upstream.count}`);
  }
  // P4: nothing relayed ⇒ nothing upstream (stated separately so the report names it).
  if (relayed === 0 && ups.length > 0 && o.result.responses.some(isFinal)) {
    failures.push(`P4: gateway answered ${o.result.responses.filter(isFinal).map((r) => r.status).join(',')} but upstream got ${ups.map((u) => `${u.method} ${u.target}`).join(' | ')}`);
  }
  if (o.upstreamErrors.length > 0) {
    failures.push(`P3: upstream's strict parser refused the gateway's bytes: ${o.upstreamErrors.map((e) => e.code).join(',')}`);
  }

  const method = row.upstream?.method ?? requestMethod(o.bytes);
  const pipelined = alternatives.some((e) => (e.responses ?? 1) > 1 || (e.statuses?.length ?? 1) > 1);
  const clientBody = pipelined ? undefined : cleanRequestBody(o.bytes);
  for (const u of ups) {
    const tag = `upstream ${u.method} ${u.target}`;
    // P2 identity.
    if (!pipelined && u.method !== method) failures.push(`P2: ${tag}: method ≠ ${method}`);
    if (row.upstream?.target !== undefined) {
      if (u.target !== row.upstream.target) failures.push(`P2: ${tag}: target ≠ ${JSON.stringify(row.upstream.target)}`);
    } else if (!ctx.canonicalTarget.test(u.target)) {
      failures.push(`P2: ${tag}: not a canonical declared operation path`);
    }
    const hosts = headerValues(u.headers, 'host');
    if (hosts.length !== 1 || hosts[0] !== ctx.upstreamHost) failures.push(`P2: ${tag}: Host ${JSON.stringify(hosts)} ≠ [${JSON.stringify(ctx.upstreamHost)}]`);
    // P3 framing.
    for (const name of FORBIDDEN_UPSTREAM_HEADERS) {
      const v = headerValues(u.headers, name);
      if (v.length > 0) failures.push(`P3: ${tag}: carries ${name}: ${JSON.stringify(v)}`);
    }
    const conn = headerValues(u.headers, 'connection');
    if (conn.length > 1 || conn.some((v) => !/^(keep-alive|close)$/i.test(v.trim()))) {
      failures.push(`P3: ${tag}: Connection ${JSON.stringify(conn)} is not the gateway's own keep-alive/close`);
    }
    const cl = headerValues(u.headers, 'content-length');
    if (u.body.length > 0) {
      if (cl.length !== 1 || cl[0] !== String(u.body.length)) failures.push(`P3: ${tag}: body of ${u.body.length} bytes framed by Content-Length ${JSON.stringify(cl)}`);
    } else if (cl.length > 1 || (cl.length === 1 && cl[0] !== '0')) {
      failures.push(`P3: ${tag}: empty body with Content-Length ${JSON.stringify(cl)}`);
    }
    const wantBody = row.upstream?.body !== undefined ? Buffer.from(row.upstream.body, 'latin1') : clientBody;
    if (wantBody !== undefined && !u.body.equals(wantBody)) {
      failures.push(`P3: ${tag}: body ${JSON.stringify(u.body.subarray(0, 120).toString('latin1'))} ≠ the client's ${JSON.stringify(wantBody.subarray(0, 120).toString('latin1'))}`);
    }
    if (row.upstream?.bodyLength !== undefined && u.body.length !== row.upstream.bodyLength) {
      failures.push(`P3: ${tag}: body length ${u.body.length} ≠ ${row.upstream.bodyLength}`);
    }
    for (const [name, m] of Object.entries(row.upstream?.headers ?? {})) {
      const f = checkHeader(name, m, headerValues(u.headers, name));
      if (f) failures.push(`${tag}: ${f}`);
    }
  }
  return failures;
}
