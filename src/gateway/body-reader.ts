import type { IncomingMessage } from 'node:http';

export type BodyReadResult =
  | { ok: true; bytes: Buffer }
  | { ok: false; status: 408 | 413 | 400; ruleId: string; detail: string };

/**
 * Buffer a request body, bounded in size and in time: the total limit is checked on every
 * chunk (chunked bodies have no Content-Length to check up front), and the body must arrive
 * with no idle gap longer than `idleMs` and before `deadline` (epoch ms).
 */
export function readBody(req: IncomingMessage, limit: number, idleMs: number, deadline: number): Promise<BodyReadResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;
    let idle: NodeJS.Timeout | undefined;
    const overall = setTimeout(() => finish({ ok: false, status: 408, ruleId: 'protocol/body-timeout', detail: 'The request body did not arrive in time.' }), Math.max(0, deadline - Date.now()));
    const arm = (): void => {
      if (idle) idle.refresh();
      else idle = setTimeout(() => finish({ ok: false, status: 408, ruleId: 'protocol/body-timeout', detail: 'The request body stalled.' }), idleMs);
    };
    const finish = (r: BodyReadResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(overall);
      if (idle) clearTimeout(idle);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onError);
      if (!r.ok) req.pause();
      resolve(r);
    };
    const onData = (chunk: Buffer): void => {
      total += chunk.length;
      if (total > limit) { finish({ ok: false, status: 413, ruleId: 'protocol/body-too-large', detail: `The request body exceeds ${limit} bytes.` }); return; }
      chunks.push(chunk);
      arm();
    };
    const onEnd = (): void => finish({ ok: true, bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total) });
    const onError = (): void => finish({ ok: false, status: 400, ruleId: 'protocol/body-aborted', detail: 'The request body was cut off.' });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onError);
    arm();
  });
}
