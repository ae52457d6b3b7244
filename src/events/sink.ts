import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { EventStore } from '../store/ports.js';
import type { SecurityEvent } from './security-event.js';

export interface SinkOptions {
  queueSize: number;
  batchSize: number;
  flushIntervalMs: number;
  /** Directory for the spool file used while the store is failing. */
  spoolDir: string;
  onError?: (err: unknown) => void;
}

export interface SinkStats { queued: number; written: number; spooled: number; replayed: number; dropped: number }

/**
 * The hot path hands events here and moves on: `emit` never awaits. Events are written to the
 * store in batches; when the store fails (or the queue is full) they go to a JSON-lines spool
 * file, replayed once the store accepts writes again. `close` flushes everything, so SIGTERM
 * loses nothing.
 */
export class EventSink {
  private queue: SecurityEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private readonly spoolFile: string;
  private spoolPending: boolean;
  readonly stats: SinkStats = { queued: 0, written: 0, spooled: 0, replayed: 0, dropped: 0 };

  constructor(private readonly store: EventStore, private readonly opts: SinkOptions) {
    this.spoolFile = join(opts.spoolDir, 'events.jsonl');
    this.spoolPending = existsSync(this.spoolFile);
  }

  emit(event: SecurityEvent): void {
    if (this.queue.length >= this.opts.queueSize) {
      this.spool([event]);
    } else {
      this.queue.push(event);
    }
    this.stats.queued = this.queue.length;
    if (this.queue.length >= this.opts.batchSize) void this.flush();
    else this.timer ??= setTimeout(() => { this.timer = undefined; void this.flush(); }, this.opts.flushIntervalMs);
  }

  /** Write everything queued (and anything spooled) now. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing.then(() => (this.queue.length > 0 ? this.flush() : undefined));
    this.flushing = this.drain().finally(() => { this.flushing = undefined; });
    return this.flushing;
  }

  private async drain(): Promise<void> {
    if (this.spoolPending) await this.replaySpool();
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.opts.batchSize);
      this.stats.queued = this.queue.length;
      try {
        await this.store.append(batch);
        this.stats.written += batch.length;
      } catch (err) {
        this.opts.onError?.(err);
        this.spool(batch);
      }
    }
  }

  private spool(events: readonly SecurityEvent[]): void {
    try {
      mkdirSync(this.opts.spoolDir, { recursive: true });
      appendFileSync(this.spoolFile, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
      this.stats.spooled += events.length;
      this.spoolPending = true;
    } catch (err) {
      this.stats.dropped += events.length;
      this.opts.onError?.(err);
    }
  }

  private async replaySpool(): Promise<void> {
    if (!existsSync(this.spoolFile)) { this.spoolPending = false; return; }
    // Move the file aside first so events spooled during replay are not lost or doubled.
    const replaying = `${this.spoolFile}.${process.pid}.replay`;
    try { renameSync(this.spoolFile, replaying); } catch { return; }
    const lines = readFileSync(replaying, 'utf8').split('\n').filter(Boolean);
    const events: SecurityEvent[] = [];
    for (const l of lines) { try { events.push(JSON.parse(l) as SecurityEvent); } catch { this.stats.dropped++; } }
    try {
      for (let i = 0; i < events.length; i += this.opts.batchSize) await this.store.append(events.slice(i, i + this.opts.batchSize));
      this.stats.replayed += events.length;
      unlinkSync(replaying);
      this.spoolPending = existsSync(this.spoolFile);
    } catch (err) {
      // Still failing: put the events back (appends are idempotent by id in every store).
      this.opts.onError?.(err);
      appendFileSync(this.spoolFile, readFileSync(replaying));
      unlinkSync(replaying);
      this.spoolPending = true;
    }
  }

  async close(): Promise<void> {
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
    await this.flush();
  }
}
