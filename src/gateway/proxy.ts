import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import { filterResponseHeaders } from './response-headers.js';
import type { UpstreamRuntime } from './upstream.js';

export interface ForwardRequest {
  upstream: UpstreamRuntime;
  method: string;
  target: string;
  headers: Record<string, string | string[]>;
  body: Buffer | undefined;
  res: ServerResponse;
  /** Buffer 5xx bodies so the response-body phase can inspect them. */
  inspectErrors: boolean;
  inspectLimit: number;
  logger: Logger;
}

export type ForwardOutcome =
  | { kind: 'failed'; status: 502 | 503 | 504; errorKind: string; detail: string }
  | { kind: 'inspect'; status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }
  | { kind: 'streamed'; status: number; done: Promise<void> };

/**
 * Send the canonical request upstream and relay the answer. Bodies stream back with
 * backpressure; a client that goes away aborts the upstream request, and a response undici
 * cannot parse (bad framing, oversized) surfaces as a 502 with nothing of it relayed.
 */
export async function forward(f: ForwardRequest): Promise<ForwardOutcome> {
  // undici takes an EventEmitter as `signal`: far cheaper than an AbortController per request,
  // and it is only fired when the client leaves before its response was finished.
  const abort = new EventEmitter();
  let finished = false;
  let aborted = false;
  f.res.once('finish', () => { finished = true; });
  const onClose = (): void => { if (!finished) { aborted = true; abort.emit('abort'); } };
  f.res.once('close', onClose);
  let up: Dispatcher.ResponseData;
  try {
    up = await f.upstream.pool.request({
      method: f.method as Dispatcher.HttpMethod,
      path: f.target,
      headers: f.headers,
      body: f.body ?? null,
      signal: abort,
      headersTimeout: f.upstream.headersTimeoutMs,
      bodyTimeout: f.upstream.bodyTimeoutMs,
    });
  } catch (err) {
    f.res.off('close', onClose);
    return classify(err);
  }
  const status = up.statusCode;
  if (f.inspectErrors && status >= 500) {
    try {
      const chunks: Buffer[] = [];
      for await (const c of up.body) chunks.push(c as Buffer);
      f.res.off('close', onClose);
      return { kind: 'inspect', status, headers: up.headers, body: Buffer.concat(chunks) };
    } catch (err) {
      f.res.off('close', onClose);
      return classify(err);
    }
  }
  if (status < 200 && status !== 101) {
    // 1xx informational answers are not relayed; undici only surfaces them on upgrade.
    up.body.resume();
    return { kind: 'failed', status: 502, errorKind: 'bad-response', detail: 'The upstream answered with an unexpected status.' };
  }
  f.res.writeHead(status, filterResponseHeaders(up.headers));
  // Plain data/end relay with backpressure: stream.pipeline costs ~1.7x the CPU per request here.
  const body = up.body;
  const res = f.res;
  const done = new Promise<void>((resolve) => {
    const cleanup = (): void => { res.off('close', onClose); resolve(); };
    body.on('data', (chunk: Buffer) => {
      if (!res.write(chunk)) { body.pause(); res.once('drain', () => body.resume()); }
    });
    body.once('end', () => { res.end(); cleanup(); });
    body.once('error', (err: Error) => {
      // Headers are gone already: the only honest signal left is cutting the connection.
      if (!aborted) f.logger.warn({ err: { type: err.name, code: (err as { code?: string }).code } }, 'upstream response stream failed');
      res.destroy();
      cleanup();
    });
    res.once('close', () => { if (!finished) { body.destroy(); cleanup(); } });
  });
  return { kind: 'streamed', status, done };
}

function classify(err: unknown): ForwardOutcome & { kind: 'failed' } {
  const code = (err as { code?: string })?.code ?? (err as Error)?.name ?? '';
  switch (code) {
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return { kind: 'failed', status: 504, errorKind: 'timeout', detail: 'The upstream did not answer in time.' };
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EHOSTUNREACH':
      return { kind: 'failed', status: 502, errorKind: 'unavailable', detail: 'The upstream is unavailable.' };
    case 'UND_ERR_RES_EXCEEDED_MAX_SIZE':
      return { kind: 'failed', status: 502, errorKind: 'response-too-large', detail: 'The upstream response was too large.' };
    case 'AbortError':
    case 'UND_ERR_ABORTED':
      return { kind: 'failed', status: 502, errorKind: 'aborted', detail: 'The request was aborted.' };
    default:
      return { kind: 'failed', status: 502, errorKind: 'bad-response', detail: 'The upstream response was invalid.' };
  }
}
