import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import { callerKeys, type AbuseState } from '../abuse/state.js';
import type { RequestContext } from '../core/context.js';
import { newId } from '../core/ids.js';
import { InspectedResponse } from '../core/response.js';
import { REQUEST_PHASES } from '../core/phases.js';
import { PROBLEM_CONTENT_TYPE, problemBody } from '../core/problem.js';
import type { Finding } from '../core/verdict.js';
import type { GatewayMetrics } from '../events/metrics.js';
import { redactEvidence, redactTarget } from '../events/redact.js';
import type { SecurityEvent } from '../events/security-event.js';
import type { EventCoalescer } from '../events/coalesce.js';
import type { EventSink } from '../events/sink.js';
import { decodeBody, isDecodedMediaType } from './body-decode.js';
import { isXmlMediaType, parseMediaType } from './parse/media-type.js';
import { readBody, streamBody, type StreamedBody } from './body-reader.js';
import { buildUpstreamHeaders } from './forward-headers.js';
import { canonicalizePath } from './parse/canonical-path.js';
import { parseQuery } from './parse/query.js';
import { inspectHead, validHost } from './request-head.js';
import { filterResponseHeaders, type ExtraHeaders } from './response-headers.js';
import { selectUpstream, type Runtime, type RuntimeHolder } from './runtime.js';
import { forward, type InspectDemand } from './proxy.js';
import { decodeContent } from './response-decode.js';
import { isChallengePath, type ChallengeEndpoint } from './challenge-endpoint.js';
import type { TrafficSampler } from './traffic-sampler.js';

export interface HandlerDeps {
  holder: RuntimeHolder;
  sink: EventSink;
  metrics: GatewayMetrics;
  logger: Logger;
  /** True once draining: responses carry Connection: close. */
  draining: () => boolean;
  /** Headers every response gets unless the upstream set them (HSTS on a TLS listener). */
  addHeaders?: ExtraHeaders;
  /** Where `modified` events go: repeats coalesce into summaries (one per request would flood the store). */
  modifiedEvents?: EventCoalescer;
  /** The risk book every blocked or flagged finding feeds, and the challenge service. */
  abuse?: AbuseState;
  /** The gateway's own proof-of-work endpoints under /.well-known/portcullis/challenge. */
  challenges?: ChallengeEndpoint;
  /** Discovery's traffic samples (metadata of every request, bodies of a share). */
  traffic?: TrafficSampler;
}

type Blocked = Finding & { controlId?: string };

/**
 * One request through the phases. Everything is decided on one canonical view of the request
 * (path, query, headers, body bytes), and exactly that view is forwarded.
 */
export function createHandler(deps: HandlerDeps): (req: IncomingMessage, res: ServerResponse, expectContinue: boolean) => void {
  return (req, res, expectContinue) => {
    const rt = deps.holder.current;
    handle(rt, deps, req, res, expectContinue).catch((err: unknown) => {
      deps.logger.error({ err: { type: (err as Error)?.name, message: (err as Error)?.message } }, 'request handler failed');
      if (!res.headersSent) {
        sendProblem(res, { ruleId: 'gateway/internal-error', status: 500, detail: 'The request could not be processed.' }, newId(), true, deps.addHeaders);
      } else res.destroy();
    });
  };
}

async function handle(rt: Runtime, deps: HandlerDeps, req: IncomingMessage, res: ServerResponse, expectContinue: boolean): Promise<void> {
  const started = performance.now();
  const requestId = newId('req');
  const method = req.method ?? 'GET';
  const socket = req.socket;
  const behindProxy = rt.config.trustedProxies.length > 0;
  const { ip: clientIp, chain } = rt.clientIp.resolve(socket.remoteAddress, behindProxy ? firstHeader(req.headers['x-forwarded-for']) : undefined, behindProxy ? firstHeader(req.headers.forwarded) : undefined);

  const ctx: RequestContext = {
    id: requestId, receivedAt: Date.now(), method, path: '', rawQuery: null, query: undefined,
    headers: req.headers, clientIp, route: undefined,
    principal: { id: `ip:${clientIp}`, kind: 'anonymous', roles: [], scopes: [] },
    body: undefined, flagged: [], modified: [],
    clientCert: (socket as TLSSocket).encrypted ? clientCertificate(socket as TLSSocket) : undefined,
    // Every field a control may set later, present from the start: one object shape for every request.
    consumedHeaders: undefined, validated: undefined, responseHeaders: undefined, answer: undefined, challengeSolved: undefined, inputs: undefined,
  };
  let operationLabel = 'unmatched';
  let bodyConsumed = false;
  // `close` fires once whatever happens (answered, refused, client gone): per-request holds end there.
  if (rt.pipeline.wantsRequestEnd) res.once('close', () => rt.pipeline.requestEnded(ctx));

  // Drawn up front so that the response, if buffered, can be kept with the request.
  const sampleBodies = deps.traffic?.wantsBodies() ?? false;
  let responseJson: unknown;
  const finish = (status: number, byGateway = false): void => {
    ctx.answer = { status, byGateway };
    rt.pipeline.answered(ctx);
    const elapsedMs = performance.now() - started;
    deps.metrics.requests.record(operationLabel, status, elapsedMs / 1000);
    if (deps.traffic && ctx.path !== '' && operationLabel !== 'challenge') {
      deps.traffic.observe({
        method, path: ctx.path, query: ctx.query, rawQuery: ctx.rawQuery, headers: req.headers, status, time: ctx.receivedAt, durationMs: elapsedMs,
        clientIp, principalId: ctx.principal.kind === 'anonymous' ? undefined : ctx.principal.id, refused: byGateway,
        requestBody: sampleBodies && ctx.body?.decoded && isJsonMediaType(ctx.body.mediaType) ? ctx.body.value : undefined,
        responseBody: responseJson,
      });
    }
    for (const f of ctx.flagged) emit(deps, ctx, f, 'flagged', requestId);
    for (const f of ctx.modified) emit(deps, ctx, f, 'modified', requestId);
    if (deps.logger.isLevelEnabled('info')) {
      deps.logger.info({
        requestId, method, target: redactTarget(ctx.path || '(invalid)', ctx.rawQuery), status,
        operation: ctx.route?.operation?.key ?? null, principal: ctx.principal.id, clientIp,
        ms: Math.round(elapsedMs * 1000) / 1000, flagged: ctx.flagged.length,
      }, 'request');
    }
  };

  const reject = (finding: Blocked): void => {
    const eventId = emit(deps, ctx, finding, 'blocked', requestId);
    deps.metrics.decisions.inc({ control: finding.controlId ?? 'protocol', rule: finding.ruleId, outcome: 'blocked' });
    // A body we did not read leaves the stream in an unknown state: never reuse the connection.
    sendProblem(res, finding, eventId, !bodyConsumed || finding.ruleId.startsWith('protocol/') || deps.draining(), deps.addHeaders);
    finish(finding.status, true);
  };

  // 1. Request head: framing and header hygiene, before anything reads the request.
  const headProblem = inspectHead({ method, url: req.url ?? '', httpVersion: req.httpVersion, rawHeaders: req.rawHeaders }, rt.head);
  if (headProblem) return reject(headProblem);
  const host = firstHeader(req.headers.host);
  if (req.httpVersion === '1.1' || host !== undefined) {
    if (!validHost(host)) return reject(protocolFinding('protocol/host', 400, 'The Host header is missing or malformed.'));
  }
  if (req.headers['content-encoding'] !== undefined && req.headers['content-encoding'].toLowerCase() !== 'identity') {
    return reject(protocolFinding('protocol/content-encoding', 415, 'Compressed request bodies are not accepted.'));
  }
  const canon = canonicalizePath(req.url ?? '');
  if (!canon.ok) return reject(protocolFinding('protocol/path', 400, `The request target is not acceptable: ${canon.reason}.`));
  (ctx as { path: string }).path = canon.path;
  (ctx as { rawQuery: string | null }).rawQuery = canon.query;
  // An encoded NUL in the query or a form body is refused too, but only after the request phases:
  // the detectors read the values first, so `<scr%00ipt>` is refused as the injection it is (as the
  // same payload in a JSON string is), and an undetected NUL is still refused before anything is forwarded.
  let nulRefusal: Blocked | undefined;
  if (canon.query !== null && canon.query !== '') {
    const q = parseQuery(canon.query, { maxParams: rt.config.limits.queryParams, keepNul: true });
    if (!q.ok) return reject(protocolFinding('protocol/query', 400, `The query string is not acceptable: ${q.reason}.`));
    if (q.nul) nulRefusal = protocolFinding('protocol/query', 400, 'The query string is not acceptable: encoded NUL in query.');
    ctx.query = q.params;
  }

  const cl = req.headers['content-length'];
  const hasBody = (cl !== undefined && cl !== '0') || req.headers['transfer-encoding'] !== undefined;
  // The gateway's own challenge endpoints answer here, before any upstream is chosen.
  if (deps.challenges && isChallengePath(canon.path)) {
    if (nulRefusal) return reject(nulRefusal);
    if (hasBody) return reject(protocolFinding('protocol/unexpected-body', 400, 'The challenge endpoint takes no request body.'));
    operationLabel = 'challenge';
    await deps.challenges.serve(res, method, canon.path, ctx.query, clientIp);
    return finish(res.statusCode);
  }

  // 2. Route: exactly one upstream, at most one operation.
  const selected = selectUpstream(rt, canon.path, host);
  if (!selected) return reject({ ruleId: 'contract/shadow-endpoint', status: 404, detail: 'No upstream serves this path.', owasp: 'API9:2023', severity: 'medium', evidence: { path: canon.path.slice(0, 256) } });
  const match = selected.routed.spec.router.match(selected.specPath);
  const routeMethod = method === 'HEAD' && match && !match.value.methods.has('HEAD') ? 'GET' : method;
  const operation = match?.value.methods.get(routeMethod);
  ctx.route = { upstream: selected.routed.upstream.name, item: match?.value, operation, rawParams: match?.params ?? {} };
  if (operation) operationLabel = operation.key;

  // 3. Request phases up to the body, in order.
  const pipeline = rt.pipeline;
  for (const phase of REQUEST_PHASES) {
    if (phase === 'requestBody') break;
    const ran = pipeline.run(phase, ctx);
    const d = ran instanceof Promise ? await ran : ran;
    if (d.blocked) return reject(d.blocked);
  }

  // 4. Body: bounded, read once, decoded once.
  const limits = rt.config.limits;
  // Looked up only for requests that carry a body (two keyed lookups in the config's operation table).
  const bodyLimit = hasBody && operation ? (rt.config.operations[operation.key]?.bodyBytes ?? (operation.operationId ? rt.config.operations[operation.operationId]?.bodyBytes : undefined) ?? limits.bodyBytes) : limits.bodyBytes;
  const contentType = firstHeader(req.headers['content-type']);
  let bodyBytes: Buffer | undefined;
  let streamed = false;
  if (hasBody) {
    if (cl !== undefined && Number(cl) > bodyLimit) return reject(protocolFinding('protocol/body-too-large', 413, `The request body exceeds ${bodyLimit} bytes.`));
    if (operation && !operation.compiledBody) {
      return reject({ ruleId: 'contract/unexpected-body', status: 400, detail: 'This operation takes no request body.', owasp: 'API8:2023', severity: 'medium', evidence: {}, controlId: 'request-validation' });
    }
    const opaqueType = operation && !pipeline.readsOpaqueBodies ? opaqueMediaType(contentType) : undefined;
    if (opaqueType !== undefined) {
      // Relayed as it arrives once the checks below pass: nothing here reads these bytes.
      streamed = true;
      ctx.body = { bytes: EMPTY, mediaType: opaqueType, decoded: false, streamed: true };
    } else {
      if (expectContinue) res.writeContinue();
      const deadline = ctx.receivedAt + limits.requestTimeoutMs;
      const read = await readBody(req, bodyLimit, limits.bodyIdleTimeoutMs, deadline);
      if (!read.ok) return reject(protocolFinding(read.ruleId, read.status, read.detail));
      bodyBytes = read.bytes;
    }
  } else if (expectContinue) {
    res.writeContinue();
  }
  bodyConsumed = !streamed;
  if (!streamed && (bodyBytes !== undefined || contentType !== undefined)) {
    const decoded = await decodeBody(bodyBytes ?? EMPTY, contentType, operation?.compiledBody?.media, limits);
    if (!decoded.ok) return reject(protocolFinding(decoded.ruleId, decoded.status, decoded.detail));
    if (decoded.nul) nulRefusal ??= protocolFinding(decoded.nul.ruleId, decoded.nul.status, decoded.nul.detail);
    ctx.body = { bytes: bodyBytes ?? EMPTY, mediaType: decoded.mediaType, value: decoded.value, decoded: decoded.decoded };
    const named = decoded.files?.filter((f) => f.filename !== undefined && f.filename !== '');
    if (named && named.length > 0) ctx.body.fileNames = named.map((f) => ({ field: f.field, name: f.filename! }));
  }
  const ranBody = pipeline.run('requestBody', ctx);
  const d = ranBody instanceof Promise ? await ranBody : ranBody;
  if (d.blocked) return reject(d.blocked);
  if (nulRefusal) return reject(nulRefusal);
  // A control may have rewritten the body (stripped members): forward the checked bytes.
  if (!streamed && ctx.body && bodyBytes !== undefined) bodyBytes = ctx.body.bytes;

  // 5. Upstream: the canonical target and the inspected bytes (or the opaque body as it arrives).
  const upstream = selected.routed.upstream;
  let relay: StreamedBody | undefined;
  if (streamed) {
    if (expectContinue) res.writeContinue();
    relay = streamBody(req, bodyLimit, limits.bodyIdleTimeoutMs, ctx.receivedAt + limits.requestTimeoutMs);
  }
  const target = `${upstream.basePath}${selected.specPath}${canon.query !== null ? `?${canon.query}` : ''}`;
  const headers = buildUpstreamHeaders(req.rawHeaders, {
    upstreamHost: upstream.hostHeader, clientIp, trustedChain: chain, proto: (socket as TLSSocket).encrypted ? 'https' : 'http', requestId,
    principal: ctx.principal.kind === 'anonymous' ? undefined : ctx.principal.id, consumed: ctx.consumedHeaders, bodyLength: relay ? (cl !== undefined ? Number(cl) : undefined) : bodyBytes?.length,
  });
  const asked: { demand: InspectDemand } = { demand: 'none' };
  const inspect = (status: number, h: Record<string, string | string[] | undefined>): InspectDemand => {
    if (method === 'HEAD' || status === 204 || status === 304 || !pipeline.has('responseBody', operation)) return 'none';
    asked.demand = pipeline.responseBodyDemand(ctx, { status, mediaType: responseMediaType(h) });
    return asked.demand;
  };
  // Listener-wide headers (HSTS) and what controls asked for on this request (RateLimit fields).
  const add: ExtraHeaders = ctx.responseHeaders ? [...(deps.addHeaders ?? []), ...ctx.responseHeaders] : deps.addHeaders ?? [];
  const outcome = await forward({ upstream, method, target, headers, body: relay?.stream ?? bodyBytes, res, inspect, maxInspectBytes: limits.responseInspectBytes, addHeaders: add, logger: deps.logger });
  if (relay) {
    // The upstream may answer before the client finished sending: that connection cannot be reused.
    bodyConsumed = relay.complete();
    const cut = relay.failure();
    if (cut) return reject(protocolFinding(cut.ruleId, cut.status, cut.detail));
  }
  if (outcome.kind === 'failed') {
    deps.metrics.upstreamErrors.inc({ upstream: upstream.name, kind: outcome.errorKind });
    return reject({ ruleId: `upstream/${outcome.errorKind}`, status: outcome.status, detail: outcome.detail, owasp: 'none', severity: 'low', evidence: { upstream: upstream.name } });
  }
  if (outcome.kind === 'inspect') {
    const decoded = decodeContent(outcome.body, outcome.headers['content-encoding'], limits.responseInspectBytes);
    if (!decoded.ok) {
      const finding = uninspectable(decoded.reason, outcome.status);
      if (asked.demand === 'block') return reject(finding);
      ctx.flagged.push(finding);
      writeResponse(res, outcome.status, outcome.headers, outcome.body, deps, add);
      return finish(outcome.status);
    }
    const view = new InspectedResponse(outcome.status, outcome.headers, responseMediaType(outcome.headers), decoded.body);
    const ran = pipeline.run('responseBody', ctx, view);
    const verdict = ran instanceof Promise ? await ran : ran;
    if (verdict.blocked) return reject(verdict.blocked);
    if (sampleBodies && view.isJson) {
      const read = view.json();
      if (read.ok) responseJson = read.value;
    }
    if (view.modified) writeResponse(res, outcome.status, outcome.headers, view.serialize(), deps, add, REWRITTEN);
    else writeResponse(res, outcome.status, outcome.headers, outcome.body, deps, add);
    return finish(outcome.status);
  }
  if (outcome.uninspected) ctx.flagged.push(uninspectable(`larger than ${limits.responseInspectBytes} bytes`, outcome.status));
  // Streamed: forward() already relayed the response.
  finish(outcome.status);
}

const EMPTY = Buffer.alloc(0);

/** What the TLS handshake proved about the client, read once per request (cheap: the socket caches it). */
function clientCertificate(socket: TLSSocket): RequestContext['clientCert'] {
  const cert = socket.getPeerCertificate();
  if (!cert || Object.keys(cert).length === 0) return undefined;
  const cn = cert.subject?.CN;
  return {
    authorized: socket.authorized,
    subject: Array.isArray(cn) ? cn[0] : cn,
    fingerprint256: cert.fingerprint256,
    ...(socket.authorized ? {} : { error: String(socket.authorizationError ?? 'unverified') }),
  };
}

/**
 * The media type of an opaque body (relayed unread), or undefined when it is decoded, inspected
 * as text (XML: detectors read its values and its DTD), absent or malformed.
 */
function opaqueMediaType(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const mt = parseMediaType(contentType);
  return mt.ok && !isDecodedMediaType(mt.type) && !isXmlMediaType(mt.type) ? mt.type : undefined;
}

function protocolFinding(ruleId: string, status: number, detail: string): Blocked {
  return { ruleId, status, detail, owasp: 'none', severity: 'medium', evidence: {} };
}

function emit(deps: HandlerDeps, ctx: RequestContext, f: Finding, action: SecurityEvent['action'], requestId: string): string {
  const id = newId('evt');
  const event: SecurityEvent = {
    id, time: new Date().toISOString(), rule: f.ruleId, owasp: f.owasp, severity: f.severity, action,
    principal: ctx.principal.id, clientIp: ctx.clientIp, method: ctx.method.slice(0, 16),
    path: (ctx.path || '(invalid)').slice(0, 512), operation: ctx.route?.operation?.key ?? null,
    evidence: redactEvidence(f.evidence), requestId,
  };
  if (action === 'modified' && deps.modifiedEvents) deps.modifiedEvents.offer(event);
  else deps.sink.emit(event);
  // What the caller did, not what the upstream leaked: modified responses do not count against it.
  if (action !== 'modified') deps.abuse?.risk.observe(callerKeys(ctx.clientIp, ctx.principal.id), f.ruleId, f.severity);
  if (action !== 'blocked') deps.metrics.decisions.inc({ control: 'pipeline', rule: f.ruleId, outcome: action });
  return id;
}

function sendProblem(res: ServerResponse, f: Pick<Finding, 'status' | 'detail' | 'ruleId' | 'headers'>, eventId: string, close: boolean, add: ExtraHeaders = []): void {
  if (res.headersSent) { res.destroy(); return; }
  const body = problemBody(f, eventId);
  const headers: Record<string, string | number> = {
    'content-type': PROBLEM_CONTENT_TYPE,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...f.headers,
  };
  for (const [name, value] of add) headers[name] ??= value;
  if (close) { headers.connection = 'close'; res.shouldKeepAlive = false; }
  res.writeHead(f.status, headers);
  res.end(body);
}

const RECOMPUTED = new Set(['content-length']);
/** A body the gateway rewrote is sent uncoded, and validators of the upstream's bytes no longer hold. */
const REWRITTEN = new Set(['content-length', 'content-encoding', 'etag', 'content-md5', 'digest', 'content-digest', 'repr-digest', 'content-range', 'accept-ranges']);

export const RULE_UNINSPECTABLE = 'response/uninspectable';

function uninspectable(reason: string, upstreamStatus: number): Blocked {
  return {
    ruleId: RULE_UNINSPECTABLE, status: 502, owasp: 'none', severity: 'medium',
    detail: 'The upstream response could not be inspected; it was withheld.', evidence: { reason, upstreamStatus },
  };
}

/** The last Content-Type read and its media type: an upstream sends the same one or two. */
let lastResponseType: { header: string; type: string | undefined } = { header: '', type: undefined };

function responseMediaType(h: Record<string, string | string[] | undefined>): string | undefined {
  const ct = firstHeader(h['content-type']);
  if (ct === undefined) return undefined;
  if (ct === lastResponseType.header) return lastResponseType.type;
  const mt = parseMediaType(ct);
  const type = mt.ok ? mt.type : undefined;
  lastResponseType = { header: ct, type };
  return type;
}

function writeResponse(res: ServerResponse, status: number, upstreamHeaders: Record<string, string | string[] | undefined>, body: Buffer, deps: HandlerDeps, add: ExtraHeaders, dropped = RECOMPUTED): void {
  const close = deps.draining();
  const headers = filterResponseHeaders(upstreamHeaders, dropped, add);
  headers.push('content-length', String(body.length));
  if (close) { headers.push('connection', 'close'); res.shouldKeepAlive = false; }
  res.writeHead(status, headers);
  res.end(body);
}

function isJsonMediaType(t: string | undefined): boolean {
  return t !== undefined && (t === 'application/json' || t.endsWith('+json'));
}

function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
