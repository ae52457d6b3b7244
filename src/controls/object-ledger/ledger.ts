export interface LedgerLimits {
  /** Ids kept in all; past it, the least recently active principal's are dropped. */
  maxEntries: number;
  /** Ids kept per principal (least recently seen dropped first). */
  maxPerPrincipal: number;
  /** An id not handed to the principal again for this long is forgotten. */
  ttlMs: number;
}

/**
 * Which object ids each principal was legitimately handed by the API, in memory and bounded:
 * entries are `resource \0 id`, kept in recency order per principal, principals in order of
 * activity, so both caps evict the least recent first. Forgetting only ever costs a false
 * alarm on an id that was seen long ago; it never admits an id that was not seen.
 */
export class ObjectLedger {
  private readonly principals = new Map<string, Map<string, number>>();
  private total = 0;

  constructor(private readonly limits: LedgerLimits, private readonly now: () => number = Date.now) {}

  get size(): number {
    return this.total;
  }

  remember(principal: string, resource: string, ids: Iterable<string>): void {
    const t = this.now();
    let seen = this.principals.get(principal);
    if (seen) this.principals.delete(principal);
    else seen = new Map();
    this.principals.set(principal, seen);
    for (const id of ids) {
      const key = `${resource}\u0000${id}`;
      if (seen.delete(key)) this.total--;
      seen.set(key, t);
      this.total++;
      if (seen.size > this.limits.maxPerPrincipal) {
        seen.delete(seen.keys().next().value!);
        this.total--;
      }
    }
    while (this.total > this.limits.maxEntries && this.principals.size > 1) {
      const [oldest, ids] = this.principals.entries().next().value!;
      this.principals.delete(oldest);
      this.total -= ids.size;
    }
  }

  has(principal: string, resource: string, id: string): boolean {
    const seen = this.principals.get(principal);
    const key = `${resource}\u0000${id}`;
    const at = seen?.get(key);
    if (at === undefined) return false;
    if (this.now() - at > this.limits.ttlMs) {
      seen!.delete(key);
      this.total--;
      return false;
    }
    return true;
  }
}
