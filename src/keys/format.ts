import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * API key format (CATALOGUE §3c): `pcl_<env>_<id>_<secret><check>`.
 * - `pcl_` and the fixed shape let secret scanners (GitHub push protection, trufflehog) find
 *   leaked keys; the CRC-32 check lets them, and us, reject typos and random strings without
 *   a store lookup.
 * - `id` (8 base62 chars) is public: it names the key in lists, events and logs.
 * - `secret` (32 base62 chars, ~190 bits) is only ever stored as SHA-256: with that much
 *   entropy a slow KDF adds nothing.
 */
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const ID_LENGTH = 8;
export const SECRET_LENGTH = 32;
const CHECK_LENGTH = 6;
const KEY_SHAPE = new RegExp(`^pcl_([a-z]{2,8})_([0-9A-Za-z]{${ID_LENGTH}})_([0-9A-Za-z]{${SECRET_LENGTH}})([0-9A-Za-z]{${CHECK_LENGTH}})$`);
export const ENV_PATTERN = /^[a-z]{2,8}$/;

export interface ParsedKey {
  env: string;
  id: string;
  secret: string;
}

export function generateKey(env: string): { key: string } & ParsedKey {
  if (!ENV_PATTERN.test(env)) throw new RangeError(`key environment must match ${ENV_PATTERN.source}`);
  const id = randomBase62(ID_LENGTH);
  const secret = randomBase62(SECRET_LENGTH);
  const body = `pcl_${env}_${id}_${secret}`;
  return { key: body + checksum(body), env, id, secret };
}

/** The key's parts, or undefined when it is not a well-formed key with a valid checksum. */
export function parseKey(key: string): ParsedKey | undefined {
  if (key.length > 80) return undefined;
  const m = KEY_SHAPE.exec(key);
  if (!m) return undefined;
  const [, env, id, secret, check] = m as unknown as [string, string, string, string, string];
  if (checksum(`pcl_${env}_${id}_${secret}`) !== check) return undefined;
  return { env, id, secret };
}

/** A random id in the key alphabet, e.g. for key ids that must never collide with a key. */
export function randomBase62(length: number): string {
  // Rejection sampling: 248 = 4 × 62, so bytes below it map to base62 without bias.
  let out = '';
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      if (b < 248 && out.length < length) out += BASE62[b % 62];
    }
  }
  return out;
}

function checksum(body: string): string {
  let n = crc32(body);
  let out = '';
  for (let i = 0; i < CHECK_LENGTH; i++) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}
