import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { decodeJwt, decodeProtectedHeader, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { JwtIssuerConfig } from '../../config/types.js';
import { PortcullisError } from '../../errors.js';
import { JwksUnavailableError, localJwks, remoteJwks } from './jwks.js';

interface IssuerRuntime {
  config: JwtIssuerConfig;
  hmacKey: KeyObject | undefined;
  /** Public key(s) for the asymmetric algorithms: one PEM key, or a key set chosen by `kid`. */
  publicKey: KeyObject | JWTVerifyGetKey | undefined;
  hmacAlgs: string[];
  asymAlgs: string[];
  requiredClaims: string[];
}

export type JwtResult =
  | { ok: true; payload: JWTPayload; issuer: JwtIssuerConfig }
  | { ok: false; reason: string; unavailable?: true };

/**
 * Verifies JWTs against configured issuers with jose. The issuer is picked from the unverified
 * `iss` only to choose keys and the algorithm allow-list; everything is then verified. An HMAC
 * algorithm is only ever paired with the configured secret and an asymmetric one with the
 * public key(s), so an RSA public key can never be used as an HMAC secret. `jku`, `x5u` and
 * embedded `jwk` headers are never followed: keys come from configuration only.
 */
export interface VerifiedCacheOptions {
  /** Longest a verified token is reused without checking its signature again (0: never). */
  maxAgeSec: number;
  maxEntries: number;
}

export class JwtVerifier {
  private readonly issuers = new Map<string, IssuerRuntime>();
  /**
   * Tokens whose signature and claims were verified, by the token itself. A hit skips the
   * signature (the costly part: ~100 µs for ES256) but not the clock: exp, nbf and the token age
   * are judged again on every use. Bounded in age, so a key withdrawn from the JWKS stops
   * vouching for its tokens within maxAgeSec, and in number (oldest dropped first).
   */
  private readonly verified = new Map<string, { until: number; payload: JWTPayload; issuer: IssuerRuntime }>();

  constructor(
    issuers: readonly JwtIssuerConfig[],
    private readonly clockToleranceSec: number,
    private readonly cache: VerifiedCacheOptions = { maxAgeSec: 0, maxEntries: 0 },
    private readonly now: () => number = Date.now,
  ) {
    for (const c of issuers) {
      const hmacAlgs = c.algorithms.filter((a) => a.startsWith('HS'));
      const asymAlgs = c.algorithms.filter((a) => !a.startsWith('HS'));
      const where = `identity.jwt issuer "${c.issuer}"`;
      if (hmacAlgs.length > 0 && !c.secret) {
        throw new PortcullisError('PC_ERR_CONFIG_INVALID', `${where} allows ${hmacAlgs.join(', ')} but has no secret`, { hint: 'Add `secret:` (32+ characters) or remove the HS* algorithms.' });
      }
      const keySources = [c.publicKeyFile, c.jwksUrl, c.jwksFile].filter((x) => x !== undefined).length;
      if (asymAlgs.length > 0 && keySources !== 1) {
        throw new PortcullisError('PC_ERR_CONFIG_INVALID', `${where} allows ${asymAlgs.join(', ')} and needs exactly one of publicKeyFile, jwksUrl, jwksFile (has ${keySources})`, { hint: 'Give the issuer\'s PEM public key, its JWKS URL, or a JWKS file.' });
      }
      if (asymAlgs.length === 0 && keySources > 0) {
        throw new PortcullisError('PC_ERR_CONFIG_INVALID', `${where} has public keys but allows no asymmetric algorithm`, { hint: 'Add e.g. RS256 or ES256 to algorithms, or remove the key source.' });
      }
      this.issuers.set(c.issuer, {
        config: c, hmacAlgs, asymAlgs,
        publicKey: asymAlgs.length > 0 ? publicKeys(c, where) : undefined,
        hmacKey: c.secret ? createSecretKey(Buffer.from(c.secret, 'utf8')) : undefined,
        requiredClaims: [...new Set(['exp', ...(c.requiredClaims ?? [])])],
      });
    }
  }

  get configured(): boolean {
    return this.issuers.size > 0;
  }

  async verify(token: string): Promise<JwtResult> {
    const hit = this.verified.get(token);
    if (hit) {
      if (hit.until > this.now()) return this.recheck(hit.payload, hit.issuer);
      this.verified.delete(token);
    }
    const result = await this.verifyFully(token);
    if (result.ok && this.cache.maxAgeSec > 0) this.remember(token, result.payload);
    return result;
  }

  private remember(token: string, payload: JWTPayload): void {
    const issuer = this.issuers.get(payload.iss as string);
    if (!issuer) return;
    let until = this.now() + this.cache.maxAgeSec * 1000;
    if (typeof payload.exp === 'number') until = Math.min(until, (payload.exp + this.clockToleranceSec) * 1000);
    if (this.verified.size >= this.cache.maxEntries) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, { until, payload, issuer });
  }

  /** The time-dependent claims of a cached token, as jose judges them. */
  private recheck(payload: JWTPayload, issuer: IssuerRuntime): JwtResult {
    const t = this.now() / 1000;
    const skew = this.clockToleranceSec;
    if (typeof payload.exp === 'number' && payload.exp + skew <= t) return { ok: false, reason: 'expired' };
    if (typeof payload.nbf === 'number' && payload.nbf - skew > t) return { ok: false, reason: 'claim nbf not yet valid' };
    const maxAge = issuer.config.maxTokenAgeSec;
    if (maxAge !== undefined && typeof payload.iat === 'number' && payload.iat + maxAge + skew < t) return { ok: false, reason: 'claim iat too old' };
    return { ok: true, payload, issuer: issuer.config };
  }

  private async verifyFully(token: string): Promise<JwtResult> {
    let iss: unknown;
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(token).alg;
      iss = decodeJwt(token).iss;
    } catch {
      return { ok: false, reason: 'malformed token' };
    }
    const issuer = typeof iss === 'string' ? this.issuers.get(iss) : undefined;
    if (!issuer) return { ok: false, reason: 'unknown issuer' };
    if (typeof alg !== 'string' || !issuer.config.algorithms.includes(alg)) return { ok: false, reason: 'algorithm not allowed' };
    const key = issuer.hmacAlgs.includes(alg) ? issuer.hmacKey : issuer.publicKey;
    if (!key) return { ok: false, reason: 'no key for algorithm' };
    const c = issuer.config;
    const options = {
      issuer: c.issuer,
      ...(c.audience !== undefined ? { audience: c.audience } : {}),
      ...(c.maxTokenAgeSec !== undefined ? { maxTokenAge: c.maxTokenAgeSec } : {}),
      algorithms: [alg],
      clockTolerance: this.clockToleranceSec,
      requiredClaims: issuer.requiredClaims,
    };
    try {
      // Two calls rather than a union argument: jose types the key and the key-set overloads apart.
      const { payload } = typeof key === 'function' ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options);
      return { ok: true, payload, issuer: c };
    } catch (err) {
      if (err instanceof JwksUnavailableError) return { ok: false, reason: 'issuer keys unavailable', unavailable: true };
      return { ok: false, reason: describe(err) };
    }
  }
}

function publicKeys(c: JwtIssuerConfig, where: string): KeyObject | JWTVerifyGetKey {
  if (c.jwksUrl) return remoteJwks(c.jwksUrl, c.jwks);
  const file = (c.publicKeyFile ?? c.jwksFile)!;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new PortcullisError('PC_ERR_CONFIG_INVALID', `${where}: cannot read ${file}`, { cause, hint: 'Check the path (relative to portcullis.yaml).' });
  }
  if (c.jwksFile) {
    try {
      return localJwks(JSON.parse(text), `${where} jwksFile ${file}`);
    } catch (cause) {
      if (cause instanceof PortcullisError) throw cause;
      throw new PortcullisError('PC_ERR_CONFIG_INVALID', `${where}: ${file} is not JSON`, { cause });
    }
  }
  try {
    return createPublicKey(text);
  } catch (cause) {
    throw new PortcullisError('PC_ERR_CONFIG_INVALID', `${where}: cannot read public key ${file}`, { cause, hint: 'Give a PEM-encoded SPKI public key.' });
  }
}

/** jose's error codes, as a short reason for the event (never the token). */
function describe(err: unknown): string {
  const e = err as { code?: string; claim?: string; reason?: string };
  if (e.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && e.claim) return `claim ${e.claim} ${e.reason ?? 'invalid'}`;
  if (e.code === 'ERR_JWT_EXPIRED') return e.claim === 'iat' ? 'claim iat too old' : 'expired';
  if (e.code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') return 'bad signature';
  if (e.code === 'ERR_JWKS_NO_MATCHING_KEY') return 'no matching key';
  return e.code ?? 'verification failed';
}
