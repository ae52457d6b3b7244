import { requireChallenge } from '../../abuse/challenge-gate.js';
import { DEFAULT_RISK_POLICY, type RiskPolicy } from '../../abuse/risk.js';
import { callerKeys } from '../../abuse/state.js';
import { BoundedMap } from '../../abuse/windows.js';
import type { ControlFactory } from '../../core/control.js';
import { resolveControlMode } from '../../core/pipeline.js';
import { PASS } from '../../core/verdict.js';

export type RiskConfig = Partial<RiskPolicy>;

/** In monitor mode a risky caller is reported at most this often, not on every request. */
const REPORT_EVERY_MS = 60_000;

/**
 * Risk-based response (the stepped answer to a caller that keeps tripping controls): each
 * event raises the caller's decaying score; past `challengeAt` every request must carry a solved
 * proof-of-work challenge, harder as the score rises; at `blockAt` the caller goes on the block
 * list, four times longer at each repeat. Monitor by default: the score is kept and reported,
 * nobody is challenged or blocked by it until this control is set to block.
 */
export const risk: ControlFactory = {
  id: 'risk',
  phases: ['abuse'],
  defaultMode: 'monitor',
  description: 'Risk score per client IP and principal, fed by every event: past challengeAt a proof-of-work challenge is required, at blockAt the caller is blocked (longer at each repeat).',
  create: ({ config, abuse }) => {
    const cfg = (config.controls.risk ?? {}) as RiskConfig & { mode?: string };
    const { mode: _mode, ...policy } = cfg;
    const enforcing = resolveControlMode(config, risk) === 'block';
    abuse?.risk.configure({ ...DEFAULT_RISK_POLICY, ...policy, weights: { ...policy.weights } }, enforcing);
    const reported = new BoundedMap<number>(10_000);
    return {
      id: 'risk',
      phases: ['abuse'],
      evaluate(ctx) {
        if (!abuse) return PASS;
        const level = abuse.risk.levelOf(ctx.clientIp, ctx.principal.id);
        if (level === 0) return PASS;
        const keys = callerKeys(ctx.clientIp, ctx.principal.id);
        if (!enforcing) {
          const key = keys[keys.length - 1]!;
          const now = Date.now();
          if (now - (reported.peek(key) ?? 0) < REPORT_EVERY_MS) return PASS;
          reported.set(key, now);
        }
        return requireChallenge(abuse, ctx, level, `This caller's risk score is ${Math.round(Math.max(...keys.map((k) => abuse.risk.score(k))))}`);
      },
    };
  },
};
