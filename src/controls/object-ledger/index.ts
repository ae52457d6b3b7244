import type { ControlFactory } from '../../core/control.js';
import type { RequestContext } from '../../core/context.js';
import { PASS, type Verdict } from '../../core/verdict.js';
import type { CompiledOperation } from '../../openapi/compile.js';
import { checkSourceFits, MISSING, parsePointer, parseValueSource, requestValues, resolveOperations, responseValues, type ValueSource } from '../shared/object-values.js';
import { ObjectLedger } from './ledger.js';

export const RULE_NOT_SEEN = 'access/object-not-seen';

export interface ObjectLedgerConfig {
  /** Status of a refused request (block mode): 404 (default) or 403. */
  status?: 403 | 404;
  maxEntries?: number;
  maxObjectsPerPrincipal?: number;
  ttlSec?: number;
  unlessRoles?: string[];
  resources?: {
    name: string;
    /** Responses that hand ids to the caller: a list, a create. */
    learn: { operation: string | string[]; response: string }[];
    /** Requests that name an id the caller must have been handed. */
    check: { operation: string | string[]; value: string }[];
  }[];
}

interface Learn { resource: string; pointer: string[] }
interface Check { resource: string; source: ValueSource; where: string }

/**
 * The object ledger (OWASP API1, BOLA, without ownership data): the gateway remembers which
 * ids each principal was legitimately handed (by list and create responses) and notices a
 * request for an id it never was, the signature of enumeration. Opt-in: nothing happens until
 * resources are configured; it reports (monitor) unless set to block.
 */
export const objectLedger: ControlFactory = {
  id: 'object-ledger',
  phases: ['requestBody', 'responseBody'],
  defaultMode: 'monitor',
  description: 'Requests naming an object id the caller was never handed by a list or create response (enumeration).',
  create: ({ config, operations = [] }) => {
    const cfg = (config.controls['object-ledger'] ?? {}) as ObjectLedgerConfig;
    const learn = new WeakMap<CompiledOperation, Learn[]>();
    const check = new WeakMap<CompiledOperation, Check[]>();
    const push = <T>(map: WeakMap<CompiledOperation, T[]>, op: CompiledOperation, v: T): void => { map.set(op, [...(map.get(op) ?? []), v]); };
    (cfg.resources ?? []).forEach((r, i) => {
      r.learn.forEach((l, j) => {
        const where = `controls.object-ledger.resources[${i}].learn[${j}]`;
        const pointer = parsePointer(l.response, where);
        for (const op of resolveOperations(l.operation, operations, where)) push(learn, op, { resource: r.name, pointer });
      });
      r.check.forEach((c, j) => {
        const where = `controls.object-ledger.resources[${i}].check[${j}]`;
        const source = parseValueSource(c.value, where);
        for (const op of resolveOperations(c.operation, operations, where)) {
          checkSourceFits(source, op, where);
          push(check, op, { resource: r.name, source, where: c.value });
        }
      });
    });
    const ledger = new ObjectLedger({
      maxEntries: cfg.maxEntries ?? 1_000_000,
      maxPerPrincipal: cfg.maxObjectsPerPrincipal ?? 10_000,
      ttlMs: (cfg.ttlSec ?? 86_400) * 1000,
    });
    const exempt = cfg.unlessRoles ?? [];
    const status = cfg.status ?? 404;
    const isExempt = (ctx: RequestContext): boolean => exempt.some((r) => ctx.principal.roles.includes(r));
    return {
      id: 'object-ledger',
      phases: ['requestBody', 'responseBody'],
      appliesTo: (op) => op !== undefined && (learn.has(op) || check.has(op)),
      wantsResponseBody(ctx, head) {
        const op = ctx.route?.operation;
        return op !== undefined && head.status >= 200 && head.status < 300 && learn.has(op);
      },
      evaluate(ctx, phase, response) {
        const op = ctx.route?.operation;
        if (!op || isExempt(ctx)) return PASS;
        if (phase === 'responseBody') {
          const list = learn.get(op);
          if (!list || !response?.isJson || response.status < 200 || response.status >= 300) return PASS;
          const parsed = response.json();
          if (!parsed.ok) return PASS;
          for (const l of list) {
            const ids = responseValues(parsed.value, l.pointer).filter((v): v is string => v !== MISSING);
            ledger.remember(ctx.principal.id, l.resource, ids);
          }
          return PASS;
        }
        for (const c of check.get(op) ?? []) {
          for (const v of requestValues(ctx, c.source)) {
            if (v === undefined) continue;
            if (v !== MISSING && ledger.has(ctx.principal.id, c.resource, v)) continue;
            return notSeen(c, v === MISSING ? '(not an id)' : v, status);
          }
        }
        return PASS;
      },
    };
  },
};

function notSeen(c: Check, value: string, status: number): Verdict {
  return {
    kind: 'block', ruleId: RULE_NOT_SEEN, owasp: 'API1:2023', severity: 'medium', status,
    detail: 'The object is not known to be accessible to the caller.',
    evidence: { resource: c.resource, where: c.where, value: value.slice(0, 128) },
  };
}
