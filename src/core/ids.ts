import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32

/**
 * Time-ordered ids (ULID layout: 48-bit milliseconds, 80 random bits), so events sort by id
 * and pagination cursors stay stable. Random bytes are drawn in blocks to keep this cheap.
 */
let pool = Buffer.alloc(0);
let offset = 0;

export function newId(prefix = 'evt', now = Date.now()): string {
  if (offset + 10 > pool.length) { pool = randomBytes(4096); offset = 0; }
  let out = '';
  let t = now;
  const time: string[] = new Array(10);
  for (let i = 9; i >= 0; i--) { time[i] = ALPHABET[t % 32]!; t = Math.floor(t / 32); }
  out = time.join('');
  for (let i = 0; i < 16; i++) {
    const bit = i * 5;
    const byte = bit >> 3;
    const shift = bit & 7;
    const v = ((pool[offset + byte]! << 8) | (pool[offset + byte + 1] ?? 0)) >> (11 - shift);
    out += ALPHABET[v & 31]!;
  }
  offset += 10;
  return `${prefix}_${out}`;
}
