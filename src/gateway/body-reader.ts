import type { IncomingMessage } from 'node:http';

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
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onError);
      if (!r.ok) req.pause();
      resolve(r);
    };
    const state: PendingRead = {
      lastActivity: Date.now(), idleMs, deadline,
      timeOut: (detail) => finish({ ok: false, status: 408, ruleId: 'protocol/body-timeout', detail }),
    };
    const onData = (chunk: Buffer): void => {
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
