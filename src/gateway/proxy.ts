import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import { filterResponseHeaders, type ExtraHeaders } from './response-headers.js';
import type { UpstreamRuntime } from './upstream.js';

export interface ForwardRequest {
  upstream: UpstreamRuntime;
  method: string;
  target: string;
  /** Flat `[name, value…]` list (see buildUpstreamHeaders). */
  headers: string[];
  /** Inspected bytes, or an opaque body relayed as it arrives. */
  body: Buffer | Readable | undefined;
  res: ServerResponse;
  /**
   * Asked once the response head arrives: whether to buffer the body for the response-body
   * phase, and whether a body over `maxInspectBytes` is refused (`block`) or relayed unchecked
   * (`monitor`).
   */
  inspect: (status: number, headers: Record<string, string | string[] | undefined>) => InspectDemand;
  maxInspectBytes: number;
  addHeaders: ExtraHeaders;
  logger: Logger;
}

export type InspectDemand = 'none' | 'monitor' | 'block';

export type ForwardOutcome =
  | { kind: 'failed'; status: 502 | 503 | 504; errorKind: string; detail: string }
  | { kind: 'inspect'; status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }
  /**
   * The response was relayed (or cut off after its head was sent, when `complete` is false).
   * `uninspected`: it was wanted for inspection (monitor only) but was too large, so it went unchecked.
   */
  | { kind: 'streamed'; status: number; complete: boolean; uninspected?: true };

/**
 * Send the canonical request upstream and relay the answer. Resolves once the exchange is over:
 * streamed to the client, buffered for inspection, or failed before anything was relayed.
 */
export function forward(f: ForwardRequest): Promise<ForwardOutcome> {
  return new Promise((resolve) => {
    const exchange = new Exchange(f, resolve);
    f.upstream.pool.dispatch({
      method: f.method as Dispatcher.HttpMethod,
      path: f.target,
      headers: f.headers,
      body: f.body ?? null,
      headersTimeout: f.upstream.headersTimeoutMs,
      bodyTimeout: f.upstream.bodyTimeoutMs,
    }, exchange);
  });
}

type State = 'waiting' | 'streaming' | 'buffering' | 'done';

/**
 * One upstream exchange on undici's dispatch handler interface. Chunks go from the upstream
 * socket straight into the client response, with backpressure both ways; there is no
 * intermediate Readable (request() + pipe costs about twice the CPU per request). A client that
 * leaves aborts the upstream request; a response undici cannot parse (bad framing, oversized)
 * surfaces as a 502 with nothing of it relayed.
 */
class Exchange implements Dispatcher.DispatchHandler {
  private state: State = 'waiting';
  private controller: Dispatcher.DispatchController | undefined;
  private clientGone = false;
  private status = 0;
  private headers: Record<string, string | string[] | undefined> = {};
  private chunks: Buffer[] = [];
  private buffered = 0;
  private demand: InspectDemand = 'none';
  private uninspected = false;
  private readonly onClientClose = (): void => {
    if (this.state === 'done') return;
    this.clientGone = true;
    this.controller?.abort(new Error('client closed the connection'));
  };

  constructor(private readonly f: ForwardRequest, private readonly resolve: (o: ForwardOutcome) => void) {
    // Never removed: once settled it returns at once, and the response object dies with the
    // request. (Removing the last 'close' listener deletes a key of the emitter's event table,
    // which can leave it a slow dictionary for every event the response emits after.)
    f.res.on('close', this.onClientClose);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.clientGone) controller.abort(new Error('client closed the connection'));
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    if (statusCode < 200) {
      // 1xx answers other than upgrades are not relayed; a gateway that forwards no upgrades
      // has no use for them either.
      this.settle({ kind: 'failed', status: 502, errorKind: 'bad-response', detail: 'The upstream answered with an unexpected status.' });
      controller.abort(new Error('unexpected 1xx response'));
      return;
    }
    this.status = statusCode;
    this.demand = this.f.inspect(statusCode, headers);
    this.headers = headers;
    if (this.demand !== 'none') {
      this.state = 'buffering';
      return;
    }
    this.state = 'streaming';
    this.f.res.writeHead(statusCode, filterResponseHeaders(headers, undefined, this.f.addHeaders));
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.state === 'streaming') {
      if (!this.f.res.write(chunk)) {
        controller.pause();
        this.f.res.once('drain', () => controller.resume());
      }
    } else if (this.state === 'buffering') {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      if (this.buffered > this.f.maxInspectBytes) this.overflow(controller);
    }
  }

  /** Too large to inspect: refused where a control enforces, else relayed from here on, unchecked. */
  private overflow(controller: Dispatcher.DispatchController): void {
    if (this.demand === 'block') {
      this.chunks = [];
      this.settle({ kind: 'failed', status: 502, errorKind: 'response-too-large-to-inspect', detail: 'The upstream response was too large to inspect.' });
      controller.abort(new Error('response too large to inspect'));
      return;
    }
    this.state = 'streaming';
    this.uninspected = true;
    this.f.res.writeHead(this.status, filterResponseHeaders(this.headers, undefined, this.f.addHeaders));
    const pending = this.chunks;
    this.chunks = [];
    let ok = true;
    for (const c of pending) ok = this.f.res.write(c);
    if (!ok) {
      controller.pause();
      this.f.res.once('drain', () => controller.resume());
    }
  }

  onResponseEnd(): void {
    if (this.state === 'streaming') {
      this.f.res.end();
      this.settle(this.uninspected ? { kind: 'streamed', status: this.status, complete: true, uninspected: true } : { kind: 'streamed', status: this.status, complete: true });
    } else if (this.state === 'buffering') {
      this.settle({ kind: 'inspect', status: this.status, headers: this.headers, body: Buffer.concat(this.chunks, this.buffered) });
    }
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    if (this.state === 'done') return;
    if (this.state === 'streaming') {
      // The head is gone already: the only honest signal left is cutting the connection.
      if (!this.clientGone) this.f.logger.warn({ err: { type: err.name, code: (err as { code?: string }).code } }, 'upstream response stream failed');
      this.f.res.destroy();
      this.settle({ kind: 'streamed', status: this.status, complete: false });
      return;
    }
    this.settle(this.clientGone ? { kind: 'failed', status: 502, errorKind: 'aborted', detail: 'The request was aborted.' } : classify(err));
  }

  private settle(outcome: ForwardOutcome): void {
    if (this.state === 'done') return;
    this.state = 'done';
    this.resolve(outcome);
  }
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
