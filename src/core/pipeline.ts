import { memoryAbuseState } from '../abuse/state.js';
import type { PortcullisConfig } from '../config/types.js';
import type { CompiledOperation } from '../openapi/compile.js';
import type { Control, ControlDeps, ControlFactory, ResponseHead, ResponseView } from './control.js';
import type { RequestContext } from './context.js';
import type { Mode, Phase } from './phases.js';
import type { Finding, Verdict } from './verdict.js';

interface Entry { control: Control; factory: ControlFactory; controlMode: Mode }

/** One control as it runs on one operation: its resolved mode, never `off` (those are left out). */
interface Step { control: Control; mode: 'monitor' | 'block' }

/** What runs, phase by phase, on requests routed to one operation: compiled once, on first use. */
interface Plan {
  readonly phases: ReadonlyMap<Phase, readonly Step[]>;
  readonly answerHooks: readonly Control[];
}

export interface Decision {
  /** The finding that stops the request, if any. */
  blocked?: Finding & { controlId: string };
}

export const CONTROL_ERROR_RULE = 'pipeline/control-error';

/**
 * The ordered controls of one configuration, compiled once. Monitor mode lives here, not in the
 * controls: a control only says what it saw; the pipeline decides whether that blocks.
 */
export class Pipeline {
  private readonly byPhase = new Map<Phase, Entry[]>();
  private readonly plans = new WeakMap<CompiledOperation, Plan>();
  /** The plan of requests that matched no operation (shadow paths, undeclared methods). */
  private unrouted: Plan | undefined;
  /** The last operation's plan: a request asks for it once per phase, and traffic repeats operations. */
  private lastOp: CompiledOperation | undefined;
  private lastPlan: Plan | undefined;
  /** Whether opaque request bodies must be buffered for some control (see ControlFactory). */
  readonly readsOpaqueBodies: boolean;

  /** Controls that hold something per request until it ends (see Control.onRequestEnd). */
  private readonly endHooks: readonly Control[];
  private readonly controls: readonly Control[];

  private constructor(private readonly config: PortcullisConfig, entries: Entry[]) {
    this.readsOpaqueBodies = entries.some((e) => e.factory.readsOpaqueBodies === true);
    this.controls = entries.map((e) => e.control);
    this.endHooks = this.controls.filter((c) => c.onRequestEnd !== undefined);
    for (const e of entries) {
      for (const phase of e.control.phases) {
        const list = this.byPhase.get(phase) ?? [];
        list.push(e);
        this.byPhase.set(phase, list);
      }
    }
  }

  static async create(config: PortcullisConfig, factories: readonly ControlFactory[], deps: Omit<ControlDeps, 'config'> = {}): Promise<Pipeline> {
    const entries: Entry[] = [];
    // Without a gateway's shared abuse state (unit tests), the pipeline keeps its own.
    deps = deps.abuse ? deps : { ...deps, abuse: memoryAbuseState() };
    for (const factory of factories) {
      const controlMode = resolveControlMode(config, factory);
      if (controlMode === 'off' && !hasOperationOverride(config, factory.id)) continue;
      entries.push({ factory, controlMode, control: await factory.create({ ...deps, config }) });
    }
    return new Pipeline(config, entries);
  }

  /** Mode of one control for one operation: global → control → operation (spec extension, then config). */
  modeFor(controlId: string, controlMode: Mode, op: CompiledOperation | undefined): Mode {
    if (!op) return controlMode;
    let mode = controlMode;
    const fromSpec = op.mode;
    if (fromSpec === 'off' || fromSpec === 'monitor' || fromSpec === 'block') mode = narrow(mode, fromSpec);
    const override = this.config.operations[op.key] ?? (op.operationId ? this.config.operations[op.operationId] : undefined);
    if (override?.mode) mode = narrow(mode, override.mode);
    const perControl = override?.controls?.[controlId];
    if (perControl) mode = perControl;
    if (this.config.mode === 'monitor' && mode === 'block') mode = 'monitor';
    return mode;
  }

  /**
   * The controls that run on one operation, in order, with their modes resolved: controls set to
   * `off` there, and controls that say they have nothing to do there (Control.appliesTo), are
   * left out, so a request pays only for the checks its operation needs.
   */
  private planFor(op: CompiledOperation | undefined): Plan {
    if (op !== undefined && op === this.lastOp) return this.lastPlan!;
    const cached = op ? this.plans.get(op) : this.unrouted;
    if (cached) {
      if (op) { this.lastOp = op; this.lastPlan = cached; }
      return cached;
    }
    const phases = new Map<Phase, Step[]>();
    const applies = new Map<Control, boolean>();
    for (const [phase, entries] of this.byPhase) {
      const steps: Step[] = [];
      for (const { control, controlMode } of entries) {
        const mode = this.modeFor(control.id, controlMode, op);
        if (mode === 'off') continue;
        let yes = applies.get(control);
        if (yes === undefined) { yes = control.appliesTo?.(op) ?? true; applies.set(control, yes); }
        if (yes) steps.push({ control, mode });
      }
      if (steps.length > 0) phases.set(phase, steps);
    }
    const running = new Set([...phases.values()].flat().map((s) => s.control));
    const plan: Plan = { phases, answerHooks: this.controls.filter((c) => c.onAnswer !== undefined && running.has(c)) };
    if (op) { this.plans.set(op, plan); this.lastOp = op; this.lastPlan = plan; } else this.unrouted = plan;
    return plan;
  }

  /**
   * Run one phase. Synchronous while every control answers synchronously (most do: compiled
   * lookups), so a request pays for a promise only where a control really waits.
   */
  run(phase: Phase, ctx: RequestContext, response?: ResponseView): Decision | Promise<Decision> {
    const steps = this.planFor(ctx.route?.operation).phases.get(phase);
    if (!steps) return NO_DECISION;
    return this.runFrom(steps, 0, phase, ctx, response);
  }

  private runFrom(steps: readonly Step[], start: number, phase: Phase, ctx: RequestContext, response: ResponseView | undefined): Decision | Promise<Decision> {
    for (let i = start; i < steps.length; i++) {
      const { control, mode } = steps[i]!;
      let verdict: Verdict | Promise<Verdict>;
      try {
        verdict = control.evaluate(ctx, phase, response);
      } catch (err) {
        return controlError(control.id, err);
      }
      if (isPromise(verdict)) {
        return verdict.then(
          (v) => applyVerdict(v, mode, control.id, ctx, response) ?? this.runFrom(steps, i + 1, phase, ctx, response),
          (err: unknown) => controlError(control.id, err),
        );
      }
      const decision = applyVerdict(verdict, mode, control.id, ctx, response);
      if (decision) return decision;
    }
    return NO_DECISION;
  }

  /** Whether any control runs in this phase on this operation (undefined: requests that matched none). */
  has(phase: Phase, op?: CompiledOperation): boolean {
    return this.planFor(op).phases.has(phase);
  }

  /**
   * Whether some responseBody control wants this response buffered, and how strongly: `block`
   * when one of them enforces (a body too large to inspect is then refused, never relayed
   * unchecked), `monitor` when all of them only report.
   */
  responseBodyDemand(ctx: RequestContext, head: ResponseHead): 'none' | 'monitor' | 'block' {
    const steps = this.planFor(ctx.route?.operation).phases.get('responseBody');
    if (!steps) return 'none';
    let demand: 'none' | 'monitor' | 'block' = 'none';
    for (const { control, mode } of steps) {
      if (demand === 'block' || (demand === 'monitor' && (mode === 'monitor' || control.bestEffort))) continue;
      if (!control.wantsResponseBody?.(ctx, head)) continue;
      demand = control.bestEffort ? 'monitor' : mode;
    }
    return demand;
  }

  /** Whether the gateway must report the end of each exchange (some control holds per-request state). */
  get wantsRequestEnd(): boolean {
    return this.endHooks.length > 0;
  }

  requestEnded(ctx: RequestContext): void {
    for (const c of this.endHooks) c.onRequestEnd!(ctx);
  }

  /** Reports the answer of an exchange (ctx.answer set) to the controls that learn from outcomes. */
  answered(ctx: RequestContext): void {
    for (const c of this.planFor(ctx.route?.operation).answerHooks) {
      try {
        c.onAnswer!(ctx);
      } catch {
        // Learning from an outcome must never break the answer already sent.
      }
    }
  }

  /** Retires the pipeline: each control releases what it holds. */
  async close(): Promise<void> {
    await Promise.all(this.controls.map((c) => c.close?.().catch(() => undefined)));
  }
}

function isJsonType(t: string | undefined): boolean {
  return t === 'application/json' || (t?.endsWith('+json') ?? false);
}

function isPromise<T>(v: T | Promise<T>): v is Promise<T> {
  return typeof (v as { then?: unknown }).then === 'function';
}

const NO_DECISION: Decision = Object.freeze({});

/**
 * A blocking verdict in block mode decides; a modifying one in block mode changes the response
 * (and is recorded as such); anything else that is not a pass is flagged.
 */
function applyVerdict(verdict: Verdict, mode: Mode, controlId: string, ctx: RequestContext, response: ResponseView | undefined): Decision | undefined {
  if (verdict.kind === 'pass') return undefined;
  if (verdict.kind === 'modify') {
    const { kind: _kind, json, text, ...finding } = verdict;
    if (mode === 'block' && response) {
      if (text !== undefined) response.replaceText(text);
      else response.replaceJson(json);
      ctx.modified.push(finding);
    } else if (text !== undefined) {
      ctx.flagged.push(finding);
    } else if (mode === 'block' && !response && ctx.body?.decoded && isJsonType(ctx.body.mediaType)) {
      // What is forwarded is what was checked: the new value, serialised once.
      ctx.body = { ...ctx.body, value: json, bytes: Buffer.from(JSON.stringify(json), 'utf8') };
      ctx.modified.push(finding);
    } else ctx.flagged.push(finding);
    return undefined;
  }
  const { kind: _kind, ...finding } = verdict;
  if (verdict.kind === 'block' && mode === 'block') return { blocked: { ...finding, controlId } };
  ctx.flagged.push(finding);
  return undefined;
}

/** A crashing check fails closed with a generic body; the error is logged, never shown. */
function controlError(controlId: string, err: unknown): Decision {
  return {
    blocked: {
      controlId, ruleId: CONTROL_ERROR_RULE, severity: 'high', owasp: 'none', status: 500,
      detail: 'The request could not be checked.', evidence: { control: controlId, error: (err as Error)?.name ?? 'Error' },
    },
  };
}

/** A control's own mode (global and control settings, before per-operation overrides). */
export function resolveControlMode(config: PortcullisConfig, factory: Pick<ControlFactory, 'id' | 'defaultMode'>): Mode {
  const configured = config.controls[factory.id]?.mode;
  const mode = configured ?? factory.defaultMode;
  return config.mode === 'monitor' && mode === 'block' ? 'monitor' : mode;
}

function hasOperationOverride(config: PortcullisConfig, id: string): boolean {
  return Object.values(config.operations).some((o) => o.controls?.[id] !== undefined);
}

/** An operation-wide mode can only relax a control (block → monitor → off), never tighten a control the user turned down. */
function narrow(current: Mode, requested: Mode): Mode {
  const rank: Record<Mode, number> = { off: 0, monitor: 1, block: 2 };
  return rank[requested] < rank[current] ? requested : current;
}
