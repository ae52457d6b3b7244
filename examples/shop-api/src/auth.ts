/** Token issue and verification, and the per-route authorization checks. */
import { SignJWT, compactVerify, jwtVerify } from 'jose';
import type { App } from './app.js';
import { findUser } from './db.js';
import { HttpError, type Ctx } from './http.js';

export interface AuthUser { id: number; role: string }

export const TOKEN_TTL_SECONDS = 3600;
const ISSUER = 'shop-api';

export async function issueToken(app: App, user: { id: number; role: string }): Promise<string> {
  return new SignJWT({ role: user.role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(String(user.id))
    .setIssuer(ISSUER)
    .setAudience(ISSUER)
    .setIssuedAt()
    .setExpirationTime(`${TOKEN_TTL_SECONDS}s`)
    .sign(app.jwtKey);
}

function bearer(ctx: Ctx): string {
  const m = /^Bearer\s+(\S+)$/i.exec(ctx.req.headers.authorization ?? '');
  if (!m) throw new HttpError(401, 'missing bearer token', { 'www-authenticate': 'Bearer' });
  return m[1]!;
}

const unauthorized = (): HttpError => new HttpError(401, 'invalid token', { 'www-authenticate': 'Bearer error="invalid_token"' });

/**
 * Vulnerable mode (API2): checks the signature only, so expired tokens keep working, and trusts the
 * `role` claim without looking the user up (deleted users keep access).
 * Secure mode: HS256 only, exp/iss/aud enforced, and the user and role come from the database.
 */
export async function requireUser(ctx: Ctx): Promise<AuthUser> {
  const token = bearer(ctx);
  const { app } = ctx;
  if (!app.secure) {
    try {
      const { payload } = await compactVerify(token, app.jwtKey, { algorithms: ['HS256'] });
      const claims = JSON.parse(new TextDecoder().decode(payload)) as { sub?: string; role?: string };
      return { id: Number(claims.sub), role: String(claims.role ?? 'user') };
    } catch {
      throw unauthorized();
    }
  }
  let sub: string | undefined;
  try {
    ({ payload: { sub } } = await jwtVerify(token, app.jwtKey, { algorithms: ['HS256'], issuer: ISSUER, audience: ISSUER }));
  } catch {
    throw unauthorized();
  }
  const row = sub !== undefined && /^[1-9][0-9]*$/.test(sub) ? findUser(app.db, Number(sub)) : undefined;
  if (row === undefined) throw unauthorized();
  return { id: row.id, role: row.role };
}

/** Vulnerable mode (API5): any valid token is enough. Secure mode: the database role must be admin. */
export async function requireAdmin(ctx: Ctx): Promise<AuthUser> {
  const user = await requireUser(ctx);
  if (ctx.app.secure && user.role !== 'admin') throw new HttpError(403, 'admin role required');
  return user;
}

/** Secure mode (API1): the caller must own the object or be an admin. */
export function requireOwner(ctx: Ctx, user: AuthUser, ownerId: number): void {
  if (ctx.app.secure && user.id !== ownerId && user.role !== 'admin') throw new HttpError(403, 'not your resource');
}
