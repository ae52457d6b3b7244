import { SignJWT } from 'jose';

/** Shared HS256 secret of the test issuer (the gateway config and the token minting both use it). */
export const JWT_SECRET = 'adversarial-suite-hs256-secret-0123456789-abcdef';
export const JWT_ISSUER = 'portcullis-test';
export const JWT_AUDIENCE = 'ref-api';

async function mint(role: string, secret: string, subject = '1'): Promise<string> {
  return new SignJWT({ role })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setIssuer(JWT_ISSUER)
    .setAudience(JWT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(secret));
}

export interface Tokens {
  /** user 1, role user */
  user: string;
  /** user 1, role admin */
  admin: string;
  /** role admin, signed with a key the gateway does not know */
  forgedAdmin: string;
}

export async function mintTokens(): Promise<Tokens> {
  return {
    user: await mint('user', JWT_SECRET),
    admin: await mint('admin', JWT_SECRET),
    forgedAdmin: await mint('admin', 'not-the-gateway-secret-but-just-as-long-0123456789'),
  };
}
