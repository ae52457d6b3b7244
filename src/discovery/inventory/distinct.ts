/**
 * Counting distinct principals in bounded memory: exact up to `exactLimit` values (a Set), then
 * a HyperLogLog estimate (2^12 one-byte registers, standard error ≈ 1.6 %), kept from the first
 * value so the switch loses nothing. Memory: the Set up to its limit, plus 4 KiB.
 */
const P = 12;
const M = 1 << P;
const ALPHA = 0.7213 / (1 + 1.079 / M);

export const EXACT_DISTINCT = 1_000;

/** FNV-1a over UTF-16 code units, then the murmur3 finaliser to spread the bits. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class DistinctCounter {
  private exact: Set<string> | undefined = new Set();
  private readonly registers = new Uint8Array(M);

  constructor(private readonly exactLimit = EXACT_DISTINCT) {}

  add(value: string): void {
    if (this.exact) {
      this.exact.add(value);
      if (this.exact.size > this.exactLimit) this.exact = undefined;
    }
    const h = hash32(value);
    const j = h >>> (32 - P);
    const rest = (h << P) >>> 0;
    const rank = rest === 0 ? 32 - P + 1 : Math.clz32(rest) + 1;
    if (rank > this.registers[j]!) this.registers[j] = rank;
  }

  /** True once the count is an estimate. */
  get estimated(): boolean {
    return this.exact === undefined;
  }

  get count(): number {
    if (this.exact) return this.exact.size;
    let sum = 0;
    let zeros = 0;
    for (let j = 0; j < M; j++) {
      const r = this.registers[j]!;
      sum += 2 ** -r;
      if (r === 0) zeros++;
    }
    let e = (ALPHA * M * M) / sum;
    if (e <= 2.5 * M && zeros > 0) e = M * Math.log(M / zeros); // linear counting for small sets
    return Math.round(e);
  }
}
