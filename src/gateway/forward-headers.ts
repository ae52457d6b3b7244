/**
 * Request headers the upstream receives. Built from rawHeaders (so duplicates that Node would
 * join or drop cannot slip through differently), minus hop-by-hop fields, framing (the gateway
 * re-frames with Content-Length), routing overrides, and anything claiming to be ours.
 */
const DROP = new Set([
  'host', 'connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade',
  'expect', 'http2-settings', 'content-length', 'proxy-authorization',
  // Routing overrides some frameworks honour (Symfony CVE-2018-14773 class): authorised as one
  // route or method, executed as another.
  'x-original-url', 'x-rewrite-url', 'x-http-method-override', 'x-http-method', 'x-method-override',
  // Client-supplied forwarding claims: rebuilt by the gateway.
  'forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port', 'x-real-ip',
]);

export const IDENTITY_HEADER_PREFIX = 'x-portcullis-';

export interface ForwardContext {
  upstreamHost: string;
  clientIp: string;
  /** Forwarded-for chain accepted from trusted proxies (already validated), oldest first. */
  trustedChain: readonly string[];
  proto: 'http' | 'https';
  requestId: string;
  /** The authenticated principal, sent as X-Portcullis-Principal; undefined for anonymous callers (X-Forwarded-For says who they are). */
  principal: string | undefined;
  bodyLength: number | undefined;
  /** Lower-case names of credential headers the gateway checked itself (its own API keys): not forwarded. */
  consumed?: readonly string[];
}

/**
 * The flat `[name, value, name, value…]` list undici sends as is: repeated fields stay
 * separate lines, in the client's order, and no per-request object is built.
 */
export function buildUpstreamHeaders(rawHeaders: readonly string[], f: ForwardContext): string[] {
  const out: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    if (DROP.has(name) || name.startsWith(IDENTITY_HEADER_PREFIX) || f.consumed?.includes(name)) continue;
    out.push(name, rawHeaders[i + 1]!);
  }
  const forwardedFor = f.trustedChain.length === 0 ? f.clientIp : `${f.trustedChain.join(', ')}, ${f.clientIp}`;
  out.push(
    'host', f.upstreamHost,
    'x-forwarded-for', forwardedFor,
    'x-forwarded-proto', f.proto,
    'x-portcullis-request-id', f.requestId,
  );
  if (f.principal !== undefined) out.push('x-portcullis-principal', f.principal);
  if (f.bodyLength !== undefined) out.push('content-length', String(f.bodyLength));
  return out;
}
