import type { Input } from '../controls/shared/inputs.js';
import type { CompiledOperation, CompiledPathItem } from '../openapi/compile.js';
import type { Finding } from './verdict.js';

/** Who is calling: the authenticated subject, else the client IP. */
export interface Principal {
  id: string;
  kind: 'anonymous' | 'jwt' | 'api-key' | 'introspection' | 'mtls';
  roles: readonly string[];
  scopes: readonly string[];
  /** What the credential says about the caller: a JWT's verified claims, `sub` for an API key. */
  claims?: Readonly<Record<string, unknown>>;
}

export interface RouteInfo {
  upstream: string;
  item: CompiledPathItem | undefined;
  operation: CompiledOperation | undefined;
  /** Raw template variables (percent-encoded as in the canonical path). */
  rawParams: Record<string, string>;
}

export interface BodyInfo {
  bytes: Buffer;
  /** Lower-case media type without parameters, when a body was sent. */
  mediaType: string | undefined;
  /** Decoded value for JSON, form and multipart bodies. */
  value?: unknown;
  /** True when `value` holds the decoded body (JSON, form, multipart); opaque types are not decoded. */
  decoded: boolean;
  /** The file names of a multipart body's file parts, by field (the names an upload is stored under). */
  fileNames?: readonly { field: string; name: string }[];
  /**
   * True when the body is relayed to the upstream as it arrives instead of being buffered
   * (opaque media types no control needs to read): `bytes` is then empty.
   */
  streamed?: boolean;
}

/**
 * Everything controls may read about one request. Transport-free: the gateway fills it from
 * node:http, tests fill it by hand.
 */
export interface RequestContext {
  readonly id: string;
  readonly receivedAt: number;
  readonly method: string;
  /** Canonical path: what was routed, authorised and forwarded. */
  readonly path: string;
  readonly rawQuery: string | null;
  query: Map<string, string[]> | undefined;
  /** Lower-case name → value (singleton headers are refused when repeated). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly clientIp: string;
  route: RouteInfo | undefined;
  principal: Principal;
  body: BodyInfo | undefined;
  /**
   * Lower-case request headers that carried a credential the gateway itself checked (its own API
   * keys): not forwarded, so the upstream and its logs never hold them.
   */
  consumedHeaders?: string[];
  /** The client certificate of a TLS connection, when one was presented. */
  readonly clientCert?: { authorized: boolean; subject?: string; fingerprint256?: string; error?: string };
  /**
   * What request validation found to conform to the contract: the parameters, and the body
   * against the schema of this declared media type. Later controls may rely only on what is set.
   */
  validated?: { params?: boolean; bodyMedia?: string };
  /**
   * Lower-case response headers controls ask for (the RateLimit fields of an allowed request),
   * added to the answer where the upstream set none.
   */
  responseHeaders?: [string, string][];
  /** How the exchange ended, once it has: the status sent, and whether the gateway answered itself (a refusal) or relayed the upstream. */
  answer?: { status: number; byGateway: boolean };
  /** The level of the proof-of-work challenge this request solved (verified once per request). */
  challengeSolved?: number;
  /** The free-form inputs of the request, collected once for every detector (see collectInputs). */
  inputs?: Input[];
  /** Findings that did not block (monitor mode, or flag verdicts). */
  readonly flagged: Finding[];
  /** Findings whose change to the response was applied (stripped or masked data). */
  readonly modified: Finding[];
}

export function headerValue(ctx: Pick<RequestContext, 'headers'>, name: string): string | undefined {
  const v = ctx.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
