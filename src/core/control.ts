import type { PortcullisConfig } from '../config/types.js';
import type { KeyRegistry } from '../keys/registry.js';
import type { RequestContext } from './context.js';
import type { Mode, Phase } from './phases.js';
import type { Verdict } from './verdict.js';

/** What a control sees of the response (response phases only). */
export interface ResponseView {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Present in the responseBody phase when the gateway buffered the body for inspection. */
  body?: Buffer;
}

export interface Control {
  readonly id: string;
  readonly phases: readonly Phase[];
  evaluate(ctx: RequestContext, phase: Phase, response?: ResponseView): Verdict | Promise<Verdict>;
}

export interface ControlDeps {
  config: PortcullisConfig;
  /** The gateway's API keys; absent where no key store is open (some tests). */
  keys?: KeyRegistry;
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
