import { Agent, request } from 'undici';
import type { Answer } from './types.js';

/** Every bound of the prober has a default (DESIGN.md: nothing is unbounded). */
export const PROBE_DEFAULTS = {
  /** Requests sent in one run, redirect hops and baselines included. */
  maxRequests: 200,
  concurrency: 4,
  /** Per request, headers and body together. */
  timeoutMs: 5_000,
  /** Bytes of a body read; the rest is discarded unread. */
  maxBodyBytes: 512 * 1024,
  /** Redirects followed per probe, and only on the target's own host. */
  maxRedirects: 3,
} as const;

export interface ProbeClientOptions {
  maxRequests?: number;
  concurrency?: number;
  timeoutMs?: number;
  maxBodyBytes?: number;
  maxRedirects?: number;
  /** Extra CA certificates (PEM) to trust for an https target. */
  ca?: string | Buffer;
  userAgent?: string;
}

export interface ProbeRequest {
  method?: 'GET' | 'POST' | 'HEAD' | 'OPTIONS';
  /** Absolute path on the target, with its query if any. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export type ProbeOutcome =
  | { kind: 'answer'; answer: Answer }
  | { kind: 'skipped' }
  | { kind: 'error'; message: string };

export interface ProbeClient {
  readonly origin: string;
  send(req: ProbeRequest): Promise<ProbeOutcome>;
  /** The answer, or undefined when the probe was skipped (budget) or failed. */
  fetch(req: ProbeRequest): Promise<Answer | undefined>;
  readonly stats: { requests: number; skipped: number; errors: number };
  close(): Promise<void>;
}

/** A counting semaphore: at most `n` requests in flight. */
function limiter(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (fn) => {
    if (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

function headerRecord(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/**
 * The one way the surface check talks to its target: a fixed budget of requests, a concurrency cap,
 * a per-request timeout, a body cap, and redirects followed only while they stay on the target's
 * host and port, or move to https on its host name (a probe never becomes a request to somewhere else).
 */
export function createProbeClient(target: URL, options: ProbeClientOptions = {}): ProbeClient {
  const o = { ...PROBE_DEFAULTS, ...options };
  const agent = new Agent({
    connections: o.concurrency,
    connect: { timeout: o.timeoutMs, ...(o.ca === undefined ? {} : { ca: o.ca }) },
    headersTimeout: o.timeoutMs,
    bodyTimeout: o.timeoutMs,
    keepAliveTimeout: 1_000,
  });
  const run = limiter(o.concurrency);
  const stats = { requests: 0, skipped: 0, errors: 0 };
  const userAgent = o.userAgent ?? 'portcullis-surface';

  async function once(url: URL, req: ProbeRequest): Promise<Omit<Answer, 'path'>> {
    const headers: Record<string, string> = { 'user-agent': userAgent, accept: '*/*', 'accept-encoding': 'identity', ...req.headers };
    const res = await request(url, {
      method: req.method ?? 'GET', headers, body: req.body ?? null, dispatcher: agent,
      signal: AbortSignal.timeout(o.timeoutMs), headersTimeout: o.timeoutMs, bodyTimeout: o.timeoutMs,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      if (size + chunk.length > o.maxBodyBytes) {
        // Leaving the loop destroys the stream: the rest is never read.
        chunks.push(chunk.subarray(0, o.maxBodyBytes - size));
        truncated = true;
        break;
      }
      chunks.push(chunk);
      size += chunk.length;
    }
    return { method: req.method ?? 'GET', url: url.href, status: res.statusCode, headers: headerRecord(res.headers), body: Buffer.concat(chunks).toString('utf8'), truncated };
  }

  async function send(req: ProbeRequest): Promise<ProbeOutcome> {
    let url = new URL(req.path, target.origin);
    for (let hop = 0; ; hop++) {
      if (stats.requests >= o.maxRequests) { stats.skipped++; return { kind: 'skipped' }; }
      stats.requests++;
      let got: Omit<Answer, 'path'>;
      try {
        got = await run(() => once(url, req));
      } catch (err) {
        stats.errors++;
        return { kind: 'error', message: describe(err) };
      }
      const location = got.status >= 300 && got.status < 400 ? got.headers['location'] : undefined;
      if (location === undefined) return { kind: 'answer', answer: { ...got, path: req.path } };
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        return { kind: 'answer', answer: { ...got, path: req.path } };
      }
      // The target's own host and port; or its host name on https's default port (an http → https upgrade).
      const onTarget = (next.host === target.host && next.protocol === target.protocol)
        || (next.hostname === target.hostname && next.protocol === 'https:' && next.port === '');
      // A redirect is followed as a GET without a body, as browsers do for 301/302/303.
      if (!onTarget || hop >= o.maxRedirects) return { kind: 'answer', answer: { ...got, path: req.path, redirect: next.href } };
      url = next;
      if (req.method === 'POST' && got.status !== 307 && got.status !== 308) req = { ...req, method: 'GET', body: undefined };
    }
  }

  return {
    origin: target.origin,
    send,
    async fetch(req) {
      const r = await send(req);
      return r.kind === 'answer' ? r.answer : undefined;
    },
    stats,
    close: () => agent.close(),
  };
}

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e?.cause?.code ?? e?.code;
  const message = e?.cause?.message ?? e?.message ?? String(err);
  return code ? `${code}: ${message}` : message;
}
