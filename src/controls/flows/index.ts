import { requireChallenge } from '../../abuse/challenge-gate.js';
import type { AbuseState } from '../../abuse/state.js';
import { BoundedMap, BucketCounter, DistinctLog, ExpiringSet, networkOf, SlidingLog } from '../../abuse/windows.js';
import type { ControlFactory } from '../../core/control.js';
import type { RequestContext } from '../../core/context.js';
import { PASS, type Verdict } from '../../core/verdict.js';
import type { CompiledOperation } from '../../openapi/compile.js';
import { FLOW_KINDS, type FlowKind } from '../../openapi/operations.js';
import { configError, parseValueSource, requestValues, resolveOperations, type ValueSource } from '../shared/object-values.js';
import { mergePolicy, type FlowCounts, type FlowPolicy } from './policy.js';

export { FLOW_DEFAULTS, type FlowPolicy } from './policy.js';

export const RULE_FLOW_LIMIT = 'abuse/flow-limit';
export const RULE_FLOW_LOCKOUT = 'abuse/flow-lockout';
export const RULE_DAILY_QUOTA = 'abuse/daily-quota';
export const RULE_STUFFING = 'abuse/credential-stuffing';

export interface FlowsConfig {
  /** Operations (operationId or "METHOD /template") → flow, besides those marked `x-portcullis-flow`. */
  operations?: Record<string, FlowKind>;
  /** Per kind of flow, fields over its defaults. */
  policies?: Partial<Record<FlowKind, Partial<FlowPolicy>>>;
}

const DEFAULT_USER_FIELDS = ['body/username', 'body/email', 'body/login', 'body/user'];
const MAX_ACCOUNT = 256;
const DAY_MS = 86_400_000;

type Who = 'perUser' | 'perIp' | 'perNet' | 'perPrincipal';

/** One flow of one kind, with its counters (shared by every operation of that kind). */
interface Flow {
  kind: FlowKind;
  policy: FlowPolicy;
  userFields: ValueSource[];
  attempts: SlidingLog;
  failures: SlidingLog;
  successes: BucketCounter;
  lockouts: ExpiringSet;
  accountsBySource: DistinctLog;
  sourcesByAccount: DistinctLog;
  daily: BoundedMap<{ day: number; count: number }>;
}

/**
 * Sensitive business flows (OWASP API6, API2): operations marked as login, signup,
 * password-reset, otp or checkout get the limits such a flow needs and a generic rate limit
 * cannot give, judged by the outcome the upstream reports: failures per account, address and
 * network with progressive delays and lockouts, credential stuffing (many accounts from one
 * source with few successes, one account from many sources), attempt limits and daily quotas.
 */
export const flows: ControlFactory = {
  id: 'flows',
  phases: ['requestBody'],
  defaultMode: 'block',
  description: 'Sensitive flows (x-portcullis-flow: login, signup, password-reset, otp, checkout): failure lockouts, progressive delays, credential stuffing, attempt limits, daily quotas.',
  create: ({ config, operations = [], persistent, abuse }) => {
    const cfg = (config.controls.flows ?? {}) as FlowsConfig;
    const byOp = new WeakMap<CompiledOperation, Flow>();
    const kinds = new Map<FlowKind, Flow>();
    const previous = persistent?.get('flows') as Map<string, Flow> | undefined;
    const current = new Map<string, Flow>();
    const flowOf = (kind: FlowKind): Flow => {
      let f = kinds.get(kind);
      if (!f) {
        const policy = mergePolicy(kind, cfg.policies?.[kind]);
        // Counters outlive a reload while the policy that fills them is the same.
        const id = `${kind}|${JSON.stringify(policy)}`;
        f = previous?.get(id) ?? newFlow(kind, policy);
        current.set(id, f);
        kinds.set(kind, f);
      }
      return f;
    };
    for (const op of operations) if (op.flow) byOp.set(op, flowOf(op.flow));
    for (const [name, kind] of Object.entries(cfg.operations ?? {})) {
      const where = `controls.flows.operations.${name}`;
      if (!(FLOW_KINDS as readonly string[]).includes(kind)) configError(where, `unknown flow "${kind}"`, `Use one of ${FLOW_KINDS.join(', ')}.`);
      for (const op of resolveOperations(name, operations, where)) byOp.set(op, flowOf(kind));
    }
    persistent?.set('flows', current);

    return {
      id: 'flows',
      phases: ['requestBody'],
      appliesTo: (op) => op !== undefined && byOp.has(op),
      evaluate(ctx) {
        const op = ctx.route?.operation;
        const flow = op ? byOp.get(op) : undefined;
        if (!flow) return PASS;
        const now = Date.now();
        const account = accountOf(ctx, flow);
        const keys = keysOf(ctx, account);
        const refusal = lockedOut(flow, keys, now) ?? overAttempts(flow, keys, now) ?? overQuota(flow, keys, now);
        if (refusal) return refusal;
        const bySource = sourceStuffing(flow, keys, account, now);
        if (bySource) return bySource;
        for (const who of ['perUser', 'perIp', 'perNet', 'perPrincipal'] as const) {
          const k = keys[who];
          if (k && flow.policy.attempts?.[who] !== undefined) flow.attempts.add(k, now);
        }
        const byAccount = accountStuffing(flow, keys, ctx, abuse, now);
        if (byAccount) return byAccount;
        const wait = delayMs(flow, keys, now);
        return wait > 0 ? new Promise<Verdict>((r) => setTimeout(() => r(PASS), wait).unref()) : PASS;
      },
      onAnswer(ctx) {
        // An answer from the upstream means every check passed, this one included: the attempt
        // counts under the keys it was admitted with (recomputed: a WeakMap of requests slows GC).
        const op = ctx.route?.operation;
        const flow = op ? byOp.get(op) : undefined;
        if (!flow || !ctx.answer || ctx.answer.byGateway) return;
        learn(flow, keysOf(ctx, accountOf(ctx, flow)), ctx.answer.status, Date.now());
      },
    };
  },
};

function newFlow(kind: FlowKind, policy: FlowPolicy): Flow {
  const windowMs = policy.windowSec * 1000;
  const keep = Math.max(1, ...[policy.attempts, policy.failures].flatMap((c) => Object.values(c ?? {}) as number[]), policy.delay ? policy.delay.afterFailures + 8 : 1);
  const stuffing = policy.stuffing || undefined;
  return {
    kind, policy,
    userFields: (policy.userField ? [policy.userField] : DEFAULT_USER_FIELDS).map((f) => parseValueSource(f, `controls.flows.policies.${kind}.userField`)),
    attempts: new SlidingLog(windowMs, keep),
    failures: new SlidingLog(windowMs, keep),
    successes: new BucketCounter(windowMs),
    lockouts: new ExpiringSet(),
    accountsBySource: new DistinctLog(windowMs, Math.max(2, (stuffing?.accountsPerSource ?? 1) + 1)),
    sourcesByAccount: new DistinctLog(windowMs, Math.max(2, (stuffing?.sourcesPerAccount ?? 1) + 1)),
    daily: new BoundedMap(100_000),
  };
}

/** The account an attempt names, normalised (case and surrounding space do not make a new account). */
function accountOf(ctx: RequestContext, flow: Flow): string | undefined {
  for (const source of flow.userFields) {
    const v = requestValues(ctx, source)[0];
    if (typeof v === 'string' && v !== '') return v.trim().toLowerCase().slice(0, MAX_ACCOUNT);
  }
  return undefined;
}

/** The counters an attempt is kept under, one namespace per whom (an anonymous principal is its address, counted apart). */
function keysOf(ctx: RequestContext, account: string | undefined): Partial<Record<Who, string>> {
  return {
    perUser: account === undefined ? undefined : `user|${account}`,
    perIp: `ip|${ctx.clientIp}`,
    perNet: `net|${networkOf(ctx.clientIp)}`,
    perPrincipal: `principal|${ctx.principal.id}`,
  };
}

function lockedOut(flow: Flow, keys: Partial<Record<Who, string>>, now: number): Verdict | undefined {
  for (const who of ['perUser', 'perIp', 'perNet', 'perPrincipal'] as const) {
    const k = keys[who];
    if (!k) continue;
    const ms = flow.lockouts.remaining(k, now);
    if (ms > 0) {
      return refuse(RULE_FLOW_LOCKOUT, 'medium', ms, `Too many failed ${flow.kind} attempts for this ${label(who)}: try again in ${Math.ceil(ms / 1000)} s.`, { flow: flow.kind, per: label(who) });
    }
  }
  return undefined;
}

function overAttempts(flow: Flow, keys: Partial<Record<Who, string>>, now: number): Verdict | undefined {
  const limits = flow.policy.attempts;
  if (!limits) return undefined;
  for (const who of ['perUser', 'perIp', 'perNet', 'perPrincipal'] as const) {
    const limit = limits[who];
    const k = keys[who];
    if (limit === undefined || !k) continue;
    if (flow.attempts.count(k, now) >= limit) {
      const ms = flow.attempts.msUntilBelow(k, limit, now);
      return refuse(RULE_FLOW_LIMIT, 'medium', ms, `At most ${limit} ${flow.kind} attempts per ${label(who)} in ${flow.policy.windowSec} s: try again in ${Math.ceil(ms / 1000)} s.`, { flow: flow.kind, per: label(who), limit });
    }
  }
  return undefined;
}

function overQuota(flow: Flow, keys: Partial<Record<Who, string>>, now: number): Verdict | undefined {
  const quota = flow.policy.dailyQuota;
  const k = keys.perPrincipal ?? keys.perIp;
  if (quota === undefined || !k) return undefined;
  const day = Math.floor(now / DAY_MS);
  const used = flow.daily.peek(k);
  if (!used || used.day !== day || used.count < quota) return undefined;
  const ms = (day + 1) * DAY_MS - now;
  return refuse(RULE_DAILY_QUOTA, 'medium', ms, `The daily quota of ${quota} ${flow.kind} actions is used up: it renews at 00:00 UTC.`, { flow: flow.kind, quota });
}

/**
 * Many accounts tried from one address or network with few successes is a credential list being
 * replayed: the source is locked out. One account tried from many sources is the same attack
 * spread over a botnet (failures from many addresses): the account then needs a solved challenge (or is locked out when the
 * gateway has no challenge service), so the botnet pays for each guess and its owner can still log in.
 */
function sourceStuffing(flow: Flow, keys: Partial<Record<Who, string>>, account: string | undefined, now: number): Verdict | undefined {
  const s = flow.policy.stuffing;
  if (!s) return undefined;
  for (const who of ['perIp', 'perNet'] as const) {
    const source = keys[who];
    if (!source) continue;
    const accounts = account === undefined ? flow.accountsBySource.count(source, now) : flow.accountsBySource.add(source, account, now);
    if (accounts < s.accountsPerSource) continue;
    const ok = flow.successes.count(source, now);
    const failed = flow.failures.count(source, now);
    if (ok + failed === 0 || ok / (ok + failed) > s.maxSuccessRatio) continue;
    flow.lockouts.hold(source, flow.policy.lockoutSec * 1000, now);
    return refuse(RULE_STUFFING, 'high', flow.policy.lockoutSec * 1000,
      `Credential stuffing suspected: ${accounts} accounts tried from this ${label(who)} with ${ok} of ${ok + failed} succeeding.`,
      { flow: flow.kind, per: label(who), accounts, successes: ok, failures: failed });
  }
  return undefined;
}

function accountStuffing(flow: Flow, keys: Partial<Record<Who, string>>, ctx: RequestContext, abuse: AbuseState | undefined, now: number): Verdict | Promise<Verdict> | undefined {
  const s = flow.policy.stuffing;
  if (!s || keys.perUser === undefined) return undefined;
  const sources = flow.sourcesByAccount.count(keys.perUser, now);
  if (sources < s.sourcesPerAccount) return undefined;
  const why = `Logins to this account failed from ${sources} addresses`;
  if (abuse?.challenges) return requireChallenge(abuse, ctx, 1, why);
  flow.lockouts.hold(keys.perUser!, flow.policy.lockoutSec * 1000, now);
  return refuse(RULE_STUFFING, 'high', flow.policy.lockoutSec * 1000, `${why}: it is locked for ${flow.policy.lockoutSec} s.`, { flow: flow.kind, per: 'account', sources });
}

function delayMs(flow: Flow, keys: Partial<Record<Who, string>>, now: number): number {
  const d = flow.policy.delay;
  if (!d) return 0;
  let worst = 0;
  for (const k of [keys.perUser, keys.perIp]) if (k) worst = Math.max(worst, flow.failures.count(k, now));
  if (worst < d.afterFailures) return 0;
  return Math.min(d.maxMs, d.baseMs * 2 ** (worst - d.afterFailures));
}

/** An outcome: failures count towards lockouts, successes towards the daily quota and the success ratio. */
function learn(flow: Flow, keys: Partial<Record<Who, string>>, status: number, now: number): void {
  if (status >= 200 && status < 300) {
    for (const k of [keys.perIp, keys.perNet]) if (k) flow.successes.add(k, now);
    const q = keys.perPrincipal ?? keys.perIp;
    if (flow.policy.dailyQuota !== undefined && q) {
      const day = Math.floor(now / DAY_MS);
      const used = flow.daily.get(q);
      flow.daily.set(q, used && used.day === day ? { day, count: used.count + 1 } : { day, count: 1 });
    }
    return;
  }
  if (!flow.policy.failureStatus.includes(status)) return;
  if (flow.policy.stuffing && keys.perUser && keys.perIp) flow.sourcesByAccount.add(keys.perUser, keys.perIp, now);
  for (const who of ['perUser', 'perIp', 'perNet', 'perPrincipal'] as const) {
    const k = keys[who];
    if (!k) continue;
    const n = flow.failures.add(k, now);
    const limit = flow.policy.failures?.[who];
    if (limit !== undefined && n >= limit) flow.lockouts.hold(k, flow.policy.lockoutSec * 1000, now);
  }
}

function refuse(ruleId: string, severity: 'medium' | 'high', ms: number, detail: string, evidence: Record<string, string | number>): Verdict {
  const retry = Math.max(1, Math.ceil(ms / 1000));
  return {
    kind: 'block', ruleId, owasp: ruleId === RULE_DAILY_QUOTA ? 'API6:2023' : 'API4:2023', severity, status: 429,
    detail, evidence: { ...evidence, retryAfterSec: retry }, headers: { 'Retry-After': String(retry) },
  };
}

function label(who: Who): string {
  return { perUser: 'account', perIp: 'address', perNet: 'network', perPrincipal: 'caller' }[who];
}

export type { FlowCounts };
