import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32
const TIME_CHARS = 10;
const RANDOM_CHARS = 16;
/** Random characters drawn per refill: one crypto call per ~250 ids. */
const POOL_CHARS = 4096;

let randomPool = '';
let randomOffset = POOL_CHARS;
let lastMs = -1;
let lastTime = '';

function refill(): void {
  const bytes = randomBytes(POOL_CHARS);
  let s = '';
  // 256 is a multiple of 32, so `& 31` keeps every character equally likely.
  for (let i = 0; i < POOL_CHARS; i++) s += ALPHABET[bytes[i]! & 31]!;
  randomPool = s;
  randomOffset = 0;
}

function timePart(now: number): string {
  if (now === lastMs) return lastTime;
  let t = now;
  let s = '';
  for (let i = 0; i < TIME_CHARS; i++) { s = ALPHABET[t % 32]! + s; t = Math.floor(t / 32); }
  lastMs = now;
  lastTime = s;
  return s;
}

/**
 * Time-ordered ids (ULID layout: 48-bit milliseconds as 10 base32 characters, then 80 random
 * bits as 16), so events sort by id and pagination cursors stay stable. Cheap enough for every
 * request: the time part is reused within a millisecond and the random part is cut from a
 * pre-encoded block of random characters.
 */
export function newId(prefix = 'evt', now = Date.now()): string {
  if (randomOffset + RANDOM_CHARS > POOL_CHARS) refill();
  const random = randomPool.slice(randomOffset, randomOffset + RANDOM_CHARS);
  randomOffset += RANDOM_CHARS;
  return `${prefix}_${timePart(now)}${random}`;
}
