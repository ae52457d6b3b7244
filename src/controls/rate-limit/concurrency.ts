import type { RequestContext } from '../../core/context.js';

/** A slot held by one request. */
interface Hold { readonly key: string; readonly at: number; readonly table: ConcurrencyTable }

/**
 * Which request holds which slot: module-wide, so `releaseConcurrency(ctx)` works whatever control
 * instance (before or after a reload) took the slot, and a context that is never released is
 * dropped with the context itself.
 */
const holds = new WeakMap<RequestContext, Hold>();

/**
 * In-flight requests per principal, in this process. A slot older than `staleMs` is presumed
 * leaked (a response-end hook that never ran) and no longer counts, so a lost release can lock a
 * caller out for at most that long.
 */
export class ConcurrencyTable {
  private readonly inFlight = new Map<string, Set<Hold>>();

  constructor(readonly max: number, readonly staleMs: number) {}

  /** Takes a slot for ctx; false when the principal already has `max` in flight. A ctx holds at most one slot. */
  acquire(ctx: RequestContext, key: string, now = Date.now()): boolean {
    if (holds.has(ctx)) return true;
    let set = this.inFlight.get(key);
    if (set) {
      for (const h of set) if (now - h.at > this.staleMs) set.delete(h);
    } else {
      set = new Set();
    }
    if (set.size >= this.max) {
      if (set.size === 0) this.inFlight.delete(key);
      return false;
    }
    const hold: Hold = { key, at: now, table: this };
    set.add(hold);
    this.inFlight.set(key, set);
    holds.set(ctx, hold);
    return true;
  }

  /** Requests in flight for key (tests, metrics). */
  count(key: string): number {
    return this.inFlight.get(key)?.size ?? 0;
  }

  /** @internal */
  drop(hold: Hold): void {
    const set = this.inFlight.get(hold.key);
    if (!set) return;
    set.delete(hold);
    if (set.size === 0) this.inFlight.delete(hold.key);
  }
}

/**
 * Frees the concurrency slot ctx holds, if any. The gateway calls it once the response has ended
 * (finished, aborted or errored); calling it again, or for a request that took no slot, does nothing.
 */
export function releaseConcurrency(ctx: RequestContext): void {
  const hold = holds.get(ctx);
  if (!hold) return;
  holds.delete(ctx);
  hold.table.drop(hold);
}
