import { newId } from '../core/ids.js';
import type { SecurityEvent } from './security-event.js';

export interface CoalesceOptions {
  /** Repeats of one finding within this window become one summary event. */
  windowMs: number;
  /** Findings tracked at once; past it, events pass through uncoalesced. */
  maxKeys: number;
}

/**
 * Systemic findings (a response filter stripping the same members from every answer of an
 * operation) would otherwise write one event per request. The first of a kind (same rule,
 * operation, principal and action) goes out at once; repeats within the window are counted and
 * go out as one summary event (`evidence.repeats`) when the window closes. Nothing is lost:
 * every occurrence is in an event or a count, and metrics still count each one.
 */
export class EventCoalescer {
  private readonly open = new Map<string, { first: SecurityEvent; repeats: number }>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly emit: (e: SecurityEvent) => void, private readonly opts: CoalesceOptions) {
    this.timer = setInterval(() => this.sweep(), opts.windowMs);
    this.timer.unref();
  }

  offer(event: SecurityEvent): void {
    const key = `${event.rule}\u0000${event.operation ?? ''}\u0000${event.principal}\u0000${event.action}`;
    const seen = this.open.get(key);
    if (seen) { seen.repeats++; return; }
    if (this.open.size < this.opts.maxKeys) this.open.set(key, { first: event, repeats: 0 });
    this.emit(event);
  }

  /** Close the window: one summary per finding that repeated. */
  sweep(): void {
    const windowSec = Math.round(this.opts.windowMs / 1000);
    for (const { first, repeats } of this.open.values()) {
      if (repeats === 0) continue;
      this.emit({ ...first, id: newId('evt'), time: new Date().toISOString(), evidence: { ...first.evidence, repeats, windowSec } });
    }
    this.open.clear();
  }

  close(): void {
    clearInterval(this.timer);
    this.sweep();
  }
}
