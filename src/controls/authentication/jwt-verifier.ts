import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { decodeJwt, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import type { JwtIssuerConfig } from '../../config/types.js';
import { PortcullisError } from '../../errors.js';

interface IssuerRuntime {
  config: JwtIssuerConfig;
  hmacKey: KeyObject | undefined;
  publicKey: KeyObject | undefined;
  hmacAlgs: string[];
  asymAlgs: string[];
}

export type JwtResult = { ok: true; payload: JWTPayload; issuer: JwtIssuerConfig } | { ok: false; reason: string };

/**
 * Verifies JWTs against configured issuers with jose. The issuer is picked from the unverified
 * `iss` only to choose keys and the algorithm allow-list; everything is then verified. An HMAC
 * algorithm is only ever paired with the configured secret and an asymmetric one with the
 * public key, so an RSA public key can never be used as an HMAC secret. `jku`, `x5u` and
 * embedded `jwk` headers are ignored: keys come from configuration only.
 */
export class JwtVerifier {
  private readonly issuers = new Map<string, IssuerRuntime>();

  constructor(issuers: readonly JwtIssuerConfig[], private readonly clockToleranceSec: number) {
    for (const c of issuers) {
      const hmacAlgs = c.algorithms.filter((a) => a.startsWith('HS'));
      const asymAlgs = c.algorithms.filter((a) => !a.startsWith('HS'));
      if (hmacAlgs.length > 0 && !c.secret) {
        throw new PortcullisError('PC_ERR_CONFIG_INVALID', `identity.jwt issuer "${c.issuer}" allows ${hmacAlgs.join(', ')} but has no secret`, { hint: 'Add `secret:` (32+ characters) or remove the HS* algorithms.' });
      }
      if (asymAlgs.length > 0 && !c.publicKeyFile) {
        throw new PortcullisError('PC_ERR_CONFIG_INVALID', `identity.jwt issuer "${c.issuer}" allows ${asymAlgs.join(', ')} but has no publicKeyFile`, { hint: 'Add `publicKeyFile:` with the issuer\'s PEM public key.' });
      }
      let publicKey: KeyObject | undefined;
      if (c.publicKeyFile) {
        try {
          publicKey = createPublicKey(readFileSync(c.publicKeyFile));
        } catch (cause) {
          throw new PortcullisError('PC_ERR_CONFIG_INVALID', `identity.jwt issuer "${c.issuer}": cannot read public key ${c.publicKeyFile}`, { cause, hint: 'Give a PEM-encoded SPKI public key.' });
        }
      }
      this.issuers.set(c.issuer, {
        config: c, hmacAlgs, asymAlgs, publicKey,
        hmacKey: c.secret ? createSecretKey(Buffer.from(c.secret, 'utf8')) : undefined,
      });
    }
  }

  get configured(): boolean {
    return this.issuers.size > 0;
  }

  async verify(token: string): Promise<JwtResult> {
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
    try {
      const { payload } = await jwtVerify(token, key, {
        issuer: issuer.config.issuer,
        ...(issuer.config.audience ? { audience: issuer.config.audience } : {}),
        algorithms: [alg],
        clockTolerance: this.clockToleranceSec,
        requiredClaims: ['exp'],
      });
      return { ok: true, payload, issuer: issuer.config };
    } catch (err) {
      return { ok: false, reason: (err as { code?: string }).code ?? 'verification failed' };
    }
  }
}
