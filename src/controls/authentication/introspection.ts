import { createHash } from 'node:crypto';
import { cappedFetch, checkEndpointUrl, EndpointUnavailableError } from './endpoint.js';

export interface IntrospectionConfig {
  url: string;
  clientId: string;
  clientSecret: string;
  /** Expected `aud` (one of, for a list), checked when set. */
  audience?: string | string[];
  /** Expected `iss`, checked when set. */
  issuer?: string;
  timeoutMs: number;
  maxBytes: number;
  /** Longest a verdict on an active token is reused; never past the token's `exp`. */
  cacheMaxSec: number;
  /** How long an inactive verdict is reused (bounds the load a flood of bad tokens puts on the server). */
  negativeCacheSec: number;
  cacheMaxEntries: number;
  /** After a failed call, tokens are refused (503) at once for this long. */
  retryAfterMs: number;
  rolesClaim: string;
}

export type IntrospectionResult =
  | { ok: true; claims: Readonly<Record<string, unknown>> }
  | { ok: false; reason: string; unavailable?: true };

interface Entry { result: IntrospectionResult; until: number }

/**
 * OAuth 2.0 token introspection (RFC 7662) for opaque bearer tokens: the authorization server
 * says whether a token is active and what it grants. Answers are cached by the SHA-256 of the
 * token, an active one at most `cacheMaxSec` and never past its `exp`; concurrent requests with
 * the same token share one call. A server that cannot be asked means 503, never a pass.
 */
export class TokenIntrospector {
  private readonly url: URL;
  private readonly auth: string;
  private readonly cache = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<IntrospectionResult>>();
  private failedAt = -Infinity;
  /** Calls made to the server (for tests and metrics). */
  calls = 0;

  get rolesClaim(): string {
    return this.cfg.rolesClaim;
  }

  constructor(private readonly cfg: IntrospectionConfig, private readonly clockToleranceSec: number, private readonly now: () => number = Date.now) {
    this.url = checkEndpointUrl(cfg.url, 'identity.introspection.url');
    // RFC 7662 §2.1 with RFC 6749 §2.3.1: client credentials, form-encoded, as HTTP Basic.
    this.auth = `Basic ${Buffer.from(`${encodeURIComponent(cfg.clientId)}:${encodeURIComponent(cfg.clientSecret)}`).toString('base64')}`;
  }

  async introspect(token: string): Promise<IntrospectionResult> {
    const key = createHash('sha256').update(token).digest('base64url');
    const t = this.now();
    const hit = this.cache.get(key);
    if (hit && hit.until > t) return hit.result.ok ? this.check(hit.result.claims) : hit.result;
    if (hit) this.cache.delete(key);
    const pending = this.inflight.get(key);
    if (pending) return pending;
    if (t - this.failedAt < this.cfg.retryAfterMs) return { ok: false, reason: 'introspection unavailable', unavailable: true };
    const call = this.call(token).then((claims) => this.remember(key, claims), (err: unknown) => {
      this.failedAt = this.now();
      return { ok: false as const, reason: err instanceof EndpointUnavailableError ? err.message : 'introspection unavailable', unavailable: true as const };
    }).finally(() => this.inflight.delete(key));
    this.inflight.set(key, call);
    return call;
  }

  private async call(token: string): Promise<Record<string, unknown>> {
    this.calls++;
    let res: Response;
    try {
      res = await cappedFetch(this.url, {
        method: 'POST',
        headers: { authorization: this.auth, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
        signal: AbortSignal.timeout(this.cfg.timeoutMs),
      }, this.cfg.maxBytes);
    } catch (err) {
      if (err instanceof EndpointUnavailableError) throw err;
      throw new EndpointUnavailableError((err as Error)?.name === 'TimeoutError' ? 'introspection timed out' : 'introspection endpoint unreachable');
    }
    if (res.status !== 200) throw new EndpointUnavailableError(`introspection answered ${res.status}`);
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw new EndpointUnavailableError('introspection answer is not JSON');
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body) || typeof (body as { active?: unknown }).active !== 'boolean') {
      throw new EndpointUnavailableError('introspection answer has no boolean "active"');
    }
    return body as Record<string, unknown>;
  }

  private remember(key: string, claims: Record<string, unknown>): IntrospectionResult {
    const t = this.now();
    const result: IntrospectionResult = claims.active === true ? this.check(claims) : { ok: false, reason: 'token not active' };
    let until = t + (result.ok ? this.cfg.cacheMaxSec : this.cfg.negativeCacheSec) * 1000;
    if (typeof claims.exp === 'number') until = Math.min(until, claims.exp * 1000);
    if (until > t) {
      if (this.cache.size >= this.cfg.cacheMaxEntries) this.cache.delete(this.cache.keys().next().value!);
      // Claims are stored, not the verdict, so exp/nbf are judged again on every hit.
      this.cache.set(key, { result: claims.active === true ? { ok: true, claims } : result, until });
    }
    return result;
  }

  /** What the server's answer must also say, judged at use. */
  private check(claims: Readonly<Record<string, unknown>>): IntrospectionResult {
    const t = this.now() / 1000;
    const skew = this.clockToleranceSec;
    if (typeof claims.exp === 'number' && claims.exp + skew <= t) return { ok: false, reason: 'expired' };
    if (typeof claims.nbf === 'number' && claims.nbf - skew > t) return { ok: false, reason: 'claim nbf in the future' };
    if (this.cfg.issuer !== undefined && claims.iss !== this.cfg.issuer) return { ok: false, reason: 'claim iss unexpected' };
    const want = this.cfg.audience;
    if (want !== undefined) {
      const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
      const wanted = Array.isArray(want) ? want : [want];
      if (!aud.some((a) => typeof a === 'string' && wanted.includes(a))) return { ok: false, reason: 'claim aud unexpected' };
    }
    return { ok: true, claims };
  }
}
