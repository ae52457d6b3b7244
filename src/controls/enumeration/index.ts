import { requireChallenge } from '../../abuse/challenge-gate.js';
import { BoundedMap, BucketCounter, DistinctLog, SlidingLog } from '../../abuse/windows.js';
import type { ControlFactory } from '../../core/control.js';
import type { RequestContext } from '../../core/context.js';
import type { CompiledOperation } from '../../openapi/compile.js';
import { resolveControlMode } from '../../core/pipeline.js';
import { PASS, type Verdict } from '../../core/verdict.js';
import { templateNames } from '../../openapi/operations.js';

export const RULE_ENUMERATION = 'abuse/enumeration';

export interface EnumerationConfig {
  windowSec?: number;
  /** Distinct object ids one caller may name on one operation per window. */
  distinctIds?: number;
  /** Requests naming a numeric id next to one the caller named before (n±1): a walk. */
  sequentialRun?: number;
  /** Share of the caller's answers on the operation that were 403 or 404, from `minRequests` on. */
  notFoundRatio?: number;
  minRequests?: number;
  /** In block mode: `block` (429 for the rest of the window, default) or `challenge` (each request needs proof of work). */
  action?: 'block' | 'challenge';
}

const DEFAULTS = { windowSec: 300, distinctIds: 100, sequentialRun: 20, notFoundRatio: 0.5, minRequests: 20 } as const;

interface Signal { why: string; evidence: Record<string, number | string> }

/**
 * Enumeration and scraping (runtime BOLA signals, OWASP API1/API6): per caller and operation,
 * the object ids named in a window (too many distinct ones), numeric ids walked one after the
 * other, and the share of 403/404 answers (guessing ids that are not yours). Reports by default
 * (each event raises the caller's risk score, so the risk control steps in); in block mode the
 * caller is refused (or challenged) on that operation for the rest of the window.
 */
export const enumeration: ControlFactory = {
  id: 'enumeration',
  phases: ['abuse'],
  defaultMode: 'monitor',
  description: 'Object-id enumeration per caller and operation: many distinct ids, sequential id walks, a high 403/404 ratio.',
  create: ({ config, abuse }) => {
    const cfg = { ...DEFAULTS, ...(config.controls.enumeration ?? {}) } as Required<EnumerationConfig>;
    const windowMs = cfg.windowSec * 1000;
    const ids = new DistinctLog(windowMs, cfg.distinctIds + 1);
    const walks = new SlidingLog(windowMs, cfg.sequentialRun);
    const answers = new BucketCounter(windowMs);
    const misses = new BucketCounter(windowMs);
    /** Caller+operation → when it was last reported (monitor) or until when it is refused (block). */
    const flagged = new BoundedMap<number>(100_000);
    const enforcing = resolveControlMode(config, enumeration) === 'block';
    const idParam = new WeakMap<CompiledOperation, string | null>();

    const idNameOf = (op: CompiledOperation): string | null => {
      let name = idParam.get(op);
      if (name === undefined) {
        // The object an operation names is its last path variable (/users/{u}/orders/{id} → id).
        name = templateNames(op.template).at(-1) ?? null;
        idParam.set(op, name);
      }
      return name;
    };
    const objectId = (ctx: RequestContext): string | undefined => {
      const op = ctx.route?.operation;
      const name = op ? idNameOf(op) : null;
      return name === null ? undefined : ctx.route?.rawParams[name];
    };

    return {
      id: 'enumeration',
      phases: ['abuse'],
      appliesTo: (op) => op !== undefined && idNameOf(op) !== null,
      evaluate(ctx) {
        const id = objectId(ctx);
        if (id === undefined) return PASS;
        const key = keyOf(ctx);
        const now = Date.now();
        const until = flagged.peek(key) ?? 0;
        if (enforcing && until > now) return refuse(ctx, cfg, until - now, { why: 'enumeration in progress', evidence: {} }, abuse);
        const isNew = !ids.has(key, id, now);
        const distinct = ids.add(key, id, now);
        const n = /^[0-9]{1,15}$/.test(id) ? Number(id) : undefined;
        if (isNew && n !== undefined && (ids.has(key, String(n - 1), now) || ids.has(key, String(n + 1), now))) walks.add(key, now);
        const signal = judge(key, distinct, now);
        if (!signal) return PASS;
        if (!enforcing) {
          if (now - until < windowMs) return PASS;
          flagged.set(key, now);
          return finding(signal, 'flag', 429, {});
        }
        flagged.set(key, now + windowMs);
        return refuse(ctx, cfg, windowMs, signal, abuse);
      },
      onAnswer(ctx) {
        // Recomputed, not remembered per request: a WeakMap keyed by every request slows each GC.
        if (!ctx.answer || ctx.answer.byGateway || objectId(ctx) === undefined) return;
        const key = keyOf(ctx);
        const now = Date.now();
        answers.add(key, now);
        if (ctx.answer.status === 403 || ctx.answer.status === 404) misses.add(key, now);
      },
    };

    function judge(key: string, distinct: number, now: number): Signal | undefined {
      if (distinct > cfg.distinctIds) return { why: `more than ${cfg.distinctIds} distinct object ids in ${cfg.windowSec} s`, evidence: { distinctIds: distinct } };
      const run = walks.count(key, now);
      if (run >= cfg.sequentialRun) return { why: `${run} sequential object ids in ${cfg.windowSec} s`, evidence: { sequential: run } };
      const total = answers.count(key, now);
      if (total >= cfg.minRequests) {
        const ratio = misses.count(key, now) / total;
        if (ratio >= cfg.notFoundRatio) return { why: `${Math.round(ratio * 100)}% of ${total} answers were 403/404`, evidence: { notFoundRatio: Math.round(ratio * 100) / 100, answers: total } };
      }
      return undefined;
    }
  },
};

function keyOf(ctx: RequestContext): string {
  return `${ctx.principal.id} ${ctx.route!.operation!.key}`;
}

function refuse(ctx: RequestContext, cfg: Required<EnumerationConfig>, ms: number, signal: Signal, abuse: Parameters<typeof requireChallenge>[0] | undefined): Verdict | Promise<Verdict> {
  if (cfg.action === 'challenge' && abuse?.challenges) return requireChallenge(abuse, ctx, 2, `Object enumeration suspected (${signal.why})`);
  const retry = Math.max(1, Math.ceil(ms / 1000));
  return finding(signal, 'block', 429, { 'Retry-After': String(retry) });
}

function finding(signal: Signal, kind: 'flag' | 'block', status: number, headers: Record<string, string>): Verdict {
  return {
    kind, ruleId: RULE_ENUMERATION, owasp: 'API1:2023', severity: 'medium', status,
    detail: `Object enumeration suspected: ${signal.why}.`, evidence: signal.evidence, headers,
  };
}
