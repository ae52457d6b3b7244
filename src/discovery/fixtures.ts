/**
 * Deterministic value generators for the templating tests: ids, hashes and names that look like
 * real traffic without a random source (a test that changes between runs cannot be trusted).
 */

/** xorshift32 from a seed: the same seed, the same sequence. */
function rng(seed: number): () => number {
  let x = (seed * 2654435761) >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x;
  };
}

function draw(seed: number, len: number, alphabet: string): string {
  const next = rng(seed);
  let s = '';
  for (let i = 0; i < len; i++) s += alphabet[next() % alphabet.length];
  return s;
}

/** Lower-case hex of `len` with at least one digit and one letter. */
export function hex(seed: number, len: number): string {
  const s = draw(seed, len - 2, '0123456789abcdef');
  return `${s}7e`.slice(0, len);
}

export function uuid(seed: number, version = 4): string {
  const h = hex(seed + 1, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${version}${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function objectId(seed: number): string {
  return `65${hex(seed + 7, 22)}`;
}

/** base64url, with the three character classes guaranteed. */
export function token(seed: number, len: number): string {
  return `aZ9${draw(seed, len - 3, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_')}`;
}

export function range<T>(n: number, f: (i: number) => T): T[] {
  return Array.from({ length: n }, (_, i) => f(i));
}

/** Names that are words but name no route. */
export const USER_NAMES = [
  'alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'niaj',
  'olivia', 'peggy', 'rupert', 'sybil', 'trent', 'victor', 'walter', 'xena', 'yolanda', 'zed', 'quentin',
  'ursula', 'kasper', 'lorna', 'magnus', 'nadia', 'otto', 'priya', 'ravi', 'sven', 'tamsin', 'uma', 'wendell',
];

export const POST_SLUGS = [
  'my-first-post', 'hello-world', 'why-we-moved-to-rust', 'ten-tips-for-better-sleep', 'a-year-in-review',
  'notes-on-caching', 'the-road-to-v2', 'how-we-test', 'building-in-public', 'lessons-from-an-outage',
  'on-naming-things', 'what-i-read-in-june', 'migrating-our-database',
];

export const PRODUCT_SLUGS = [
  'iphone-15-pro-max', 'galaxy-s24-ultra', 'pixel-8-pro', 'xperia-1-v', 'oneplus-12r', 'moto-g-power-5g',
  'thinkpad-x1-carbon', 'macbook-air-m3', 'surface-laptop-6', 'kindle-paperwhite', 'airpods-pro-2', 'steam-deck-oled',
];
