import { createLocalJWKSet, createRemoteJWKSet, customFetch, type JWK, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { PortcullisError } from '../../errors.js';
import { cappedFetch, checkEndpointUrl, EndpointUnavailableError } from './endpoint.js';

export interface JwksOptions {
  timeoutMs: number;
  /** After a key-id miss, how long before the set may be fetched again (jose's cooldown). */
  cooldownMs: number;
  /** Age after which the set is fetched again before use. */
  cacheMaxAgeMs: number;
  maxBytes: number;
  /**
   * How long past `cacheMaxAgeMs` the last good set may still be used while the endpoint fails.
   * 0 (the default) fails closed: tokens are refused with 503 once the set is stale.
   */
  staleIfErrorMs: number;
  /** After a failed fetch, requests are refused at once (503) for this long instead of each waiting for a timeout. */
  retryAfterMs: number;
}

/** The key set cannot be obtained: the request gets a 503, never an acceptance. */
export class JwksUnavailableError extends EndpointUnavailableError {
  override readonly name = 'JwksUnavailableError';
}

/**
 * A remote JWKS with the limits jose leaves to the caller: https only (loopback excepted, for
 * tests and sidecars), a response size cap, no redirects, a back-off after failures so an outage
 * answers 503 at once instead of stalling every request for the timeout, and an opt-in grace
 * period on the last good set.
 */
export function remoteJwks(url: string, opts: JwksOptions, now: () => number = Date.now): JWTVerifyGetKey {
  const target = checkJwksUrl(url);
  const remote = createRemoteJWKSet(target, {
    timeoutDuration: opts.timeoutMs,
    cooldownDuration: opts.cooldownMs,
    cacheMaxAge: opts.cacheMaxAgeMs,
    [customFetch]: (input: string, init: RequestInit) => cappedFetch(input, init, opts.maxBytes, (m) => new JwksUnavailableError(`JWKS: ${m}`)),
  });
  let lastGood: { at: number; keys: JWTVerifyGetKey } | undefined;
  let failedAt = -Infinity;
  return async (header, token) => {
    const t = now();
    const stale = !remote.fresh;
    if (stale && t - failedAt < opts.retryAfterMs) return fallback(header, token, t);
    try {
      const key = await remote(header, token);
      const set = remote.jwks();
      if (set && (!lastGood || remote.fresh)) lastGood = { at: t, keys: createLocalJWKSet(set) };
      return key;
    } catch (err) {
      if (!isFetchFailure(err)) throw err;
      failedAt = now();
      return fallback(header, token, failedAt, err);
    }
  };

  function fallback(...[header, token, t, cause]: [Parameters<JWTVerifyGetKey>[0], Parameters<JWTVerifyGetKey>[1], number, unknown?]): ReturnType<JWTVerifyGetKey> {
    if (lastGood && opts.staleIfErrorMs > 0 && t - lastGood.at <= opts.cacheMaxAgeMs + opts.staleIfErrorMs) return lastGood.keys(header, token);
    throw new JwksUnavailableError('the JWKS endpoint is unavailable', { cause });
  }
}

/** A JWKS file: read once at load (and again on every config reload). */
export function localJwks(set: unknown, where: string): JWTVerifyGetKey {
  const keys = (set as { keys?: unknown })?.keys;
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new PortcullisError('PC_ERR_CONFIG_INVALID', `${where} is not a JSON Web Key Set ({"keys": [...]})`, { where });
  }
  if (keys.some((k) => (k as JWK).kty === 'oct' || (k as JWK).d !== undefined)) {
    throw new PortcullisError('PC_ERR_CONFIG_INVALID', `${where} holds a symmetric or private key`, { where, hint: 'A JWKS for verification holds public keys only; HS* secrets go in `secret:`.' });
  }
  return createLocalJWKSet(set as JSONWebKeySet);
}

export function checkJwksUrl(url: string): URL {
  return checkEndpointUrl(url, 'identity.jwt.issuers.jwksUrl');
}

function isFetchFailure(err: unknown): boolean {
  if (err instanceof JwksUnavailableError) return true;
  const code = (err as { code?: string })?.code;
  if (code === 'ERR_JWKS_TIMEOUT' || code === 'ERR_JWKS_INVALID') return true;
  // jose's own "Expected 200 OK" and unparseable bodies, and fetch's network errors.
  if (code === 'ERR_JOSE_GENERIC') return true;
  return err instanceof TypeError;
}
