import { createServer, type Server, type ServerOptions } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { SecureContextOptions, TlsOptions } from 'node:tls';
import type { Socket } from 'node:net';
import type { Limits } from '../config/defaults.js';
import { newId } from '../core/ids.js';
import { PROBLEM_CONTENT_TYPE, problemBody, statusTitle } from '../core/problem.js';
import type { Finding } from '../core/verdict.js';
import type { EventSink } from '../events/sink.js';
import type { GatewayMetrics } from '../events/metrics.js';
import { createHandler, type HandlerDeps } from './handler.js';

/** llhttp error codes → the status a client gets before the socket is closed. */
const PARSER_STATUS: Record<string, number> = {
  HPE_HEADER_OVERFLOW: 431,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
  ERR_HTTP_HEADERS_TIMEOUT: 408,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 400,
};

export interface GatewayServer {
  server: Server;
  /** Stop accepting, finish in-flight requests with Connection: close, then close idle sockets. */
  drain(timeoutMs: number): Promise<void>;
}

/**
 * The public listener: strict Node parser settings, the catalogue's timeouts and connection
 * caps, and explicit answers for every request form Node would otherwise accept or leave
 * hanging (CONNECT, Expect, parse errors).
 */
export function createGatewayServer(deps: HandlerDeps & { limits: Limits; sink: EventSink; metrics: GatewayMetrics; tls?: TlsOptions & SecureContextOptions }): GatewayServer {
  const { limits } = deps;
  let draining = false;
  const handler = createHandler({ ...deps, draining: () => draining });
  const httpOptions: ServerOptions = {
    insecureHTTPParser: false,
    maxHeaderSize: limits.headerBytes,
    requestTimeout: limits.requestTimeoutMs,
    headersTimeout: limits.headersTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: limits.connectionsCheckingIntervalMs,
    requireHostHeader: false, // checked by the gateway, which answers with problem+json
    joinDuplicateHeaders: false,
    noDelay: true,
  };
  const server: Server = deps.tls ? createTlsServer({ ...httpOptions, ...deps.tls }) : createServer(httpOptions);
  // A failed handshake (no or a bad client certificate, a plain-http request) ends the socket; nothing was parsed.
  server.on('tlsClientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    deps.metrics.decisions.inc({ control: 'protocol', rule: 'protocol/tls-handshake', outcome: 'blocked' });
    deps.logger.debug({ err: { code: err.code } }, 'TLS handshake failed');
    socket.destroy();
  });
  // Count every header ourselves (Node silently truncates past maxHeadersCount).
  server.maxHeadersCount = 0;
  server.maxRequestsPerSocket = limits.maxRequestsPerSocket;
  server.maxConnections = limits.connections;

  server.on('request', (req, res) => handler(req, res, false));
  // Without this listener Node sends `100 Continue` before we have looked at the request (A20).
  server.on('checkContinue', (req, res) => handler(req, res, true));
  server.on('checkExpectation', (_req, res) => {
    res.writeHead(417, { 'content-type': PROBLEM_CONTENT_TYPE, connection: 'close' });
    res.end(problemBody({ status: 417, detail: 'Only "Expect: 100-continue" is supported.', ruleId: 'protocol/expect' }, newId()));
  });
  server.on('connect', (_req, socket: Socket) => rawReply(socket, 405, 'protocol/connect', 'CONNECT is not supported.', deps));

  const perIp = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const ip = socket.remoteAddress ?? '?';
    const n = (perIp.get(ip) ?? 0) + 1;
    if (n > limits.connectionsPerIp) { socket.destroy(); return; }
    perIp.set(ip, n);
    socket.once('close', () => {
      const left = (perIp.get(ip) ?? 1) - 1;
      if (left <= 0) perIp.delete(ip); else perIp.set(ip, left);
    });
  });

  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    // After we already answered on this socket (e.g. refused its Transfer-Encoding with
    // Connection: close), the parser choking on the rest is expected: answer nothing more.
    const current = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (err.code === 'ECONNRESET' || !socket.writable || current?.headersSent) { socket.destroy(); return; }
    const status = PARSER_STATUS[err.code ?? ''] ?? 400;
    rawReply(socket, status, status === 408 ? 'protocol/timeout' : status === 431 ? 'protocol/header-too-large' : 'protocol/bad-framing', status === 408 ? 'The request did not arrive in time.' : 'The request is malformed.', deps, err.code);
  });

  return {
    server,
    drain(timeoutMs) {
      draining = true;
      return new Promise((resolve) => {
        const force = setTimeout(() => { server.closeAllConnections(); resolve(); }, timeoutMs);
        force.unref();
        server.close(() => { clearTimeout(force); resolve(); });
        server.closeIdleConnections();
      });
    },
  };
}

/** Answer on a socket Node has given up parsing, then close it. */
function rawReply(socket: Socket, status: number, ruleId: string, detail: string, deps: { sink: EventSink; metrics: GatewayMetrics }, code?: string): void {
  const eventId = newId('evt');
  const finding: Finding = { ruleId, status, detail, owasp: 'none', severity: 'medium', evidence: code ? { parserError: code } : {} };
  deps.sink.emit({
    id: eventId, time: new Date().toISOString(), rule: ruleId, owasp: 'none', severity: finding.severity, action: 'blocked',
    principal: `ip:${socket.remoteAddress ?? '?'}`, clientIp: socket.remoteAddress ?? '?', method: '-', path: '(unparsed)', operation: null,
    evidence: finding.evidence, requestId: eventId,
  });
  deps.metrics.decisions.inc({ control: 'protocol', rule: ruleId, outcome: 'blocked' });
  const body = problemBody(finding, eventId);
  socket.end(`HTTP/1.1 ${status} ${statusTitle(status)}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  socket.destroySoon();
}
