import type { BlockEntry } from '../../abuse/block-list.js';
import type { ControlFactory } from '../../core/control.js';
import { PASS, type Verdict } from '../../core/verdict.js';

export const RULE_BLOCKED = 'abuse/blocked';

/**
 * The dynamic block list (convictions by deception, blocks by the risk book, blocks an admin
 * set): a blocked client IP is refused before anything else reads the request, a blocked
 * principal as soon as authentication has named it, from any address.
 */
export const blockList: ControlFactory = {
  id: 'block-list',
  phases: ['requestHead', 'abuse'],
  defaultMode: 'block',
  description: 'Callers on the dynamic block list (convicted by deception, blocked by the risk score or by an admin): 403 until the block ends.',
  create: ({ abuse }) => ({
    id: 'block-list',
    phases: ['requestHead', 'abuse'],
    evaluate(ctx, phase) {
      const blocks = abuse?.blocks;
      if (!blocks || blocks.size === 0) return PASS;
      if (phase === 'requestHead') {
        const e = blocks.get(`ip:${ctx.clientIp}`);
        return e ? blockedVerdict(e) : PASS;
      }
      if (ctx.principal.kind === 'anonymous') return PASS;
      const e = blocks.get(ctx.principal.id);
      return e ? blockedVerdict(e) : PASS;
    },
  }),
};

function blockedVerdict(e: BlockEntry): Verdict {
  const retry = Math.max(1, Math.ceil((e.until - Date.now()) / 1000));
  return {
    kind: 'block', ruleId: RULE_BLOCKED, owasp: 'API4:2023', severity: 'medium', status: 403,
    detail: 'This caller is temporarily blocked.', evidence: { caller: e.key.slice(0, 128), reason: e.reason.slice(0, 128), retryAfterSec: retry },
    headers: { 'Retry-After': String(retry) },
  };
}
