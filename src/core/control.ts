import type { AbuseState } from '../abuse/state.js';
import type { PortcullisConfig } from '../config/types.js';
import type { KeyRegistry } from '../keys/registry.js';
import type { CompiledOperation } from '../openapi/compile.js';
import type { RequestContext } from './context.js';
import type { Mode, Phase } from './phases.js';
import type { InspectedResponse, ResponseHead } from './response.js';
import type { Verdict } from './verdict.js';

export type { ResponseHead } from './response.js';
/** What a control sees of the response in the responseBody phase. */
export type ResponseView = InspectedResponse;

export interface Control {
  readonly id: string;
  readonly phases: readonly Phase[];
  evaluate(ctx: RequestContext, phase: Phase, response?: ResponseView): Verdict | Promise<Verdict>;
  /**
   * Whether the control has anything to check on requests routed to `op` (undefined: requests
   * that matched no operation). Asked once per operation while its plan is compiled; false
   * leaves the control out of that operation's plan. Only for what the configuration and the
   * contract fix: a control whose work depends on state that changes at run time (a block list)
   * must not say false. Absent: the control always runs.
   */
  appliesTo?(op: CompiledOperation | undefined): boolean;
  /**
   * responseBody controls: whether this response must be buffered for `evaluate`. Responses no
   * control asks for are relayed as they arrive, untouched.
   */
  wantsResponseBody?(ctx: RequestContext, head: ResponseHead): boolean;
  /**
   * A detection that helps where it can but does not vouch for every response: a body too large
   * (or encoded too oddly) to inspect is relayed with a flag, not refused, even in block mode.
   */
  readonly bestEffort?: boolean;
  /**
   * Called once when the exchange is over (answered, refused or aborted), for controls that hold
   * something per request (a concurrency slot). Must not throw.
   */
  onRequestEnd?(ctx: RequestContext): void;
  /**
   * Called once the answer is known (relayed from the upstream, or the gateway's own refusal), with
   * `ctx.answer` set: for controls that learn from outcomes (failed logins, 404 ratios). Not called
   * when the client went away first. Must not throw.
   */
  onAnswer?(ctx: RequestContext): void;
  /** Releases what the control holds (connections) when its pipeline is retired: shutdown, or a reload that replaced it. */
  close?(): Promise<void>;
}

export interface ControlDeps {
  config: PortcullisConfig;
  /** The gateway's API keys; absent where no key store is open (some tests). */
  keys?: KeyRegistry;
  /** Every operation of every upstream, for controls configured per operation. */
  operations?: readonly CompiledOperation[];
  /**
   * State that outlives a config reload, one per gateway: a control keeps here what a reload must
   * not reset (in-memory rate-limit buckets), under its own id.
   */
  persistent?: Map<string, unknown>;
  /** The gateway's block list, risk book and challenge service (one per process, across reloads). */
  abuse?: AbuseState;
}

/**
 * One folder per control, one line in registry.ts. `create` does all compilation (keys,
 * regexes, tables) once, so `evaluate` only looks things up.
 */
export interface ControlFactory {
  id: string;
  phases: readonly Phase[];
  /** The mode used when neither the config nor the operation says otherwise. */
  defaultMode: Exclude<Mode, 'off'> | 'off';
  description: string;
  /**
   * True for controls that read the bytes of opaque bodies (media types the gateway does not
   * decode). While none does, such bodies are streamed to the upstream instead of buffered.
   */
  readsOpaqueBodies?: boolean;
  create(deps: ControlDeps): Control | Promise<Control>;
}
