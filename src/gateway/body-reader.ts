import type { IncomingMessage } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';

export type BodyReadResult =
  | { ok: true; bytes: Buffer }
  | { ok: false; status: 408 | 413 | 400; ruleId: string; detail: string };

/** How often pending reads are checked against their deadlines (the timeouts' granularity). */
const SWEEP_MS = 250;

interface PendingRead {
  lastActivity: number;
  idleMs: number;
  deadline: number;
  timeOut(detail: string): void;
}

/**
 * One shared sweeper instead of two timers per request body: arming and clearing timers was a
 * visible share of the per-request cost, and body timeouts do not need millisecond precision.
 */
const pending = new Set<PendingRead>();
let sweeper: NodeJS.Timeout | undefined;

function sweep(): void {
  const now = Date.now();
  for (const p of pending) {
    if (now >= p.deadline) p.timeOut('The request body did not arrive in time.');
    else if (now - p.lastActivity >= p.idleMs) p.timeOut('The request body stalled.');
  }
  if (pending.size === 0 && sweeper) {
    clearInterval(sweeper);
    sweeper = undefined;
  }
}

function track(p: PendingRead): void {
  pending.add(p);
  if (!sweeper) {
    sweeper = setInterval(sweep, SWEEP_MS);
    sweeper.unref();
  }
}

/**
 * Buffer a request body, bounded in size and in time: the total limit is checked on every
 * chunk (chunked bodies have no Content-Length to check up front), and the body must arrive
 * with no idle gap longer than `idleMs` and before `deadline` (epoch ms), each to within
 * SWEEP_MS.
 */
export function readBody(req: IncomingMessage, limit: number, idleMs: number, deadline: number): Promise<BodyReadResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;
    const finish = (r: BodyReadResult): void => {
      if (settled) return;
      settled = true;
      pending.delete(state);
      // A body read to its end emits nothing more worth a listener (and a late error lands on
      // `settled`); only a refused one is detached and paused. Removing listeners costs
      // more than leaving them (it can leave the emitter's event table a slow dictionary).
      if (!r.ok) {
        req.off('data', onData);
        req.off('end', onEnd);
        req.off('error', onError);
        req.off('aborted', onError);
        req.pause();
      }
      resolve(r);
    };
    const state: PendingRead = {
      lastActivity: Date.now(), idleMs, deadline,
      timeOut: (detail) => finish({ ok: false, status: 408, ruleId: 'protocol/body-timeout', detail }),
    };
    const onData = (chunk: Buffer): void => {
      if (settled) return;
      total += chunk.length;
      if (total > limit) { finish({ ok: false, status: 413, ruleId: 'protocol/body-too-large', detail: `The request body exceeds ${limit} bytes.` }); return; }
      chunks.push(chunk);
      state.lastActivity = Date.now();
    };
    const onEnd = (): void => finish({ ok: true, bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total) });
    const onError = (): void => finish({ ok: false, status: 400, ruleId: 'protocol/body-aborted', detail: 'The request body was cut off.' });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onError);
    track(state);
  });
}

/** A request body relayed as it arrives, under the same size and time bounds as readBody. */
export interface StreamedBody {
  /** What undici reads from: the client's bytes, unchanged, with backpressure to the client. */
  readonly stream: Readable;
  /** Why the relay was cut (too large, stalled, aborted), once it was. */
  failure(): (BodyReadResult & { ok: false }) | undefined;
  /** True once the client's body ended within the bounds (the connection can be reused). */
  complete(): boolean;
}

/**
 * Relay a body that no control needs to see (opaque media types: uploads, binaries) instead of
 * buffering it. Bytes are counted as they pass: past `limit`, or when the body stalls or misses
 * its deadline, the relay is destroyed (the upstream request fails and is never completed) and
 * the client's stream is left paused, so the gateway can still answer with a problem.
 */
export function streamBody(req: IncomingMessage, limit: number, idleMs: number, deadline: number): StreamedBody {
  let total = 0;
  let failed: (BodyReadResult & { ok: false }) | undefined;
  let ended = false;
  const stream = new PassThrough();
  // The failure is reported through failure(); undici sees the destroyed stream on its own.
  stream.on('error', () => undefined);
  const stop = (r: BodyReadResult & { ok: false }): void => {
    if (failed || ended) return;
    failed = r;
    pending.delete(state);
    req.unpipe(stream);
    req.pause();
    stream.destroy(new Error(r.detail));
  };
  const state: PendingRead = {
    lastActivity: Date.now(), idleMs, deadline,
    timeOut: (detail) => stop({ ok: false, status: 408, ruleId: 'protocol/body-timeout', detail }),
  };
  req.on('data', (chunk: Buffer) => {
    total += chunk.length;
    state.lastActivity = Date.now();
    if (total > limit) stop({ ok: false, status: 413, ruleId: 'protocol/body-too-large', detail: `The request body exceeds ${limit} bytes.` });
  });
  req.once('end', () => { if (!failed) { ended = true; pending.delete(state); } });
  const aborted = (): void => stop({ ok: false, status: 400, ruleId: 'protocol/body-aborted', detail: 'The request body was cut off.' });
  req.once('aborted', aborted);
  req.once('error', aborted);
  track(state);
  req.pipe(stream);
  return { stream, failure: () => failed, complete: () => ended };
}
