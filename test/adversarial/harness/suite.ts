/**
 * The data-driven adversarial suite: starts the recording upstream and the system under test, runs every
 * row on a fresh socket, then checks the row's expectation, the invariants P1–P4 (invariants.ts) and P5
 * liveness (no uncaught error, `GET /public` still 200, RSS bounded across the suite).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GeneratedVariant } from '../cases/a10-exhaustive.js';
import { renderBytes, type AdversarialCase, type RenderContext } from './case.js';
import { checkCase, describeOutcome, type CaseOutcome, type InvariantContext } from './invariants.js';
import { sendRaw } from './raw-client.js';
import { headerValues, startRecorder, type Recorder } from './recorder.js';
import { mintTokens } from './tokens.js';

export interface Target {
  port: number;
  close(): Promise<void>;
}

/** Starts the system under test in front of the recorder listening on `upstreamPort`. */
export type StartTarget = (upstreamPort: number) => Promise<Target>;

export interface SuiteOptions {
  title: string;
  start: StartTarget;
  cases: AdversarialCase[];
  /** Generated variants (A10) run concurrently, attributed by their `X-Adv-Variant` header. */
  exhaustive?: GeneratedVariant[];
}

/** The Host every row's `{{H}}` sends: the upstream is configured with `host: gw`. */
export const CLIENT_HOST = 'gw';
const CANONICAL_TARGET = /^\/(public|admin|users\/[0-9]+)(\?[^#]*)?$/;
/** Wait before the first response byte; a row that gets nothing in this time is reported as a desync. */
const FIRST_RESPONSE_MS = 1_500;
/** Wait after a complete response for extra responses or the close. */
const SETTLE_MS = 150;
/** Let an upstream request that raced a gateway refusal land before counting. */
const UPSTREAM_GRACE_MS = 25;
const EXHAUSTIVE_CONCURRENCY = 16;
/** Generous P5 bound for the whole suite (the catalogue's 10 % per case needs GC control: see bench/). */
const RSS_GROWTH_BYTES = 256 * 1024 * 1024;

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function defineAdversarialSuite(opts: SuiteOptions): void {
  const ids = [...opts.cases, ...(opts.exhaustive ?? [])].map((c) => c.id);

  describe(opts.title, () => {
    let recorder: Recorder;
    let target: Target | undefined;
    let render: RenderContext;
    let inv: InvariantContext;
    let rssStart = 0;
    const crashes: string[] = [];
    const onUncaught = (err: unknown): void => {
      crashes.push(`uncaughtException: ${String((err as Error)?.stack ?? err)}`);
    };
    const onRejection = (reason: unknown): void => {
      crashes.push(`unhandledRejection: ${String((reason as Error)?.stack ?? reason)}`);
    };

    beforeAll(async () => {
      process.on('uncaughtException', onUncaught);
      process.on('unhandledRejection', onRejection);
      recorder = await startRecorder();
      const tokens = await mintTokens();
      render = { host: CLIENT_HOST, userToken: tokens.user, adminToken: tokens.admin, forgedAdminToken: tokens.forgedAdmin };
      inv = { upstreamHost: `127.0.0.1:${recorder.port}`, canonicalTarget: CANONICAL_TARGET };
      target = await opts.start(recorder.port);
      // Warm up (first-request compilation) so that timing-based waits below stay meaningful.
      await sendRaw(target.port, `GET /public HTTP/1.1\r\nHost: ${CLIENT_HOST}\r\nConnection: close\r\n\r\n`, { timeoutMs: 5_000 });
      rssStart = process.memoryUsage().rss;
    });

    afterAll(async () => {
      await target?.close();
      await recorder?.close();
      process.off('uncaughtException', onUncaught);
      process.off('unhandledRejection', onRejection);
    });

    /** P5: no crash since the last check, and the gateway still serves `GET /public`. */
    async function liveness(): Promise<string[]> {
      const out: string[] = [];
      if (crashes.length > 0) out.push(...crashes.splice(0).map((c) => `P5: ${c.split('\n').slice(0, 4).join(' ')}`));
      if (!target) return ['P5: no target'];
      recorder.reset();
      const probe = await sendRaw(target.port, `GET /public HTTP/1.1\r\nHost: ${CLIENT_HOST}\r\nConnection: close\r\n\r\n`, { timeoutMs: 3_000 });
      const status = probe.responses.find((r) => !r.interim)?.status;
      if (status !== 200) out.push(`P5: liveness probe GET /public answered ${status ?? 'nothing'}`);
      const ups = recorder.requests;
      if (ups.length !== 1 || ups[0]?.target !== '/public') {
        out.push(`P5: liveness probe reached the upstream as [${ups.map((u) => `${u.method} ${u.target}`).join(' | ')}] (leftover bytes from the case?)`);
      }
      recorder.reset();
      return out;
    }

    it('row ids are unique', () => {
      const dup = ids.filter((id, i) => ids.indexOf(id) !== i);
      expect(dup).toEqual([]);
    });

    it.each(opts.cases)('$id $title', async (row) => {
      if (!target) throw new Error('target did not start');
      recorder.reset();
      const bytes = renderBytes(row.bytes, render);
      const result = await sendRaw(target.port, bytes, { timeoutMs: row.timeoutMs ?? FIRST_RESPONSE_MS, settleMs: SETTLE_MS });
      await delay(UPSTREAM_GRACE_MS);
      const outcome: CaseOutcome = { bytes, result, upstream: [...recorder.requests], upstreamErrors: [...recorder.errors] };
      const failures = [...checkCase(row, outcome, inv), ...(await liveness())];
      expect(failures, `${row.id} observed: ${describeOutcome(outcome)}`).toEqual([]);
    });

    const exhaustive = opts.exhaustive;
    if (exhaustive && exhaustive.length > 0) {
      it(`A10 exhaustive: ${exhaustive.length} TE-obfuscation variants, none unanswered, none smuggled`, async () => {
        if (!target) throw new Error('target did not start');
        const port = target.port;
        recorder.reset();
        const results = new Map<string, { row: GeneratedVariant; bytes: Buffer; result: Awaited<ReturnType<typeof sendRaw>> }>();
        let next = 0;
        const worker = async (): Promise<void> => {
          for (;;) {
            const row = exhaustive[next++];
            if (!row) return;
            const bytes = renderBytes(row.bytes, render);
            const result = await sendRaw(port, bytes, { timeoutMs: row.timeoutMs ?? FIRST_RESPONSE_MS, settleMs: 100 });
            results.set(row.marker, { row, bytes, result });
          }
        };
        await Promise.all(Array.from({ length: EXHAUSTIVE_CONCURRENCY }, worker));
        await delay(UPSTREAM_GRACE_MS * 4);
        const byMarker = new Map<string, typeof recorder.requests>();
        const failures: string[] = [];
        for (const u of recorder.requests) {
          const marker = headerValues(u.headers, 'x-adv-variant')[0];
          if (marker === undefined) {
            failures.push(`unattributed upstream request ${u.method} ${u.target} (smuggled?)`);
            continue;
          }
          byMarker.set(marker, [...(byMarker.get(marker) ?? []), u]);
        }
        if (recorder.errors.length > 0) failures.push(`upstream parser refused: ${recorder.errors.map((e) => e.code).join(',')}`);
        const outcomeCounts = new Map<string, number>();
        for (const { row, bytes, result } of results.values()) {
          const outcome: CaseOutcome = { bytes, result, upstream: byMarker.get(row.marker) ?? [], upstreamErrors: [] };
          const f = checkCase(row, outcome, inv);
          if (f.length > 0) failures.push(`${row.id}: ${f.join('; ')} — observed ${describeOutcome(outcome)}`);
          const key = result.responses.filter((r) => !r.interim).map((r) => r.status).join(',') + (result.closed ? 'c' : '');
          outcomeCounts.set(key, (outcomeCounts.get(key) ?? 0) + 1);
        }
        failures.push(...(await liveness()));
        const summary = [...outcomeCounts.entries()].map(([k, v]) => `${k || 'none'}×${v}`).join(' ');
        expect(failures.slice(0, 40), `${failures.length} failing variants; outcomes ${summary}`).toEqual([]);
      }, 120_000);
    }

    it('P5: RSS did not grow without bound across the suite', () => {
      const grown = process.memoryUsage().rss - rssStart;
      expect(grown, `RSS grew by ${Math.round(grown / 1048576)} MiB`).toBeLessThan(RSS_GROWTH_BYTES);
    });
  });
}
