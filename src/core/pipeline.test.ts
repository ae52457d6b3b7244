import { describe, expect, it } from 'vitest';
import { validateConfig } from '../config/load.js';
import type { CompiledOperation } from '../openapi/compile.js';
import type { Control, ControlFactory } from './control.js';
import type { RequestContext } from './context.js';
import type { Phase } from './phases.js';
import { Pipeline } from './pipeline.js';
import { PASS, type Verdict } from './verdict.js';

/** A control that records each evaluation and answers what it is told to. */
function recorder(id: string, opts: { phases?: Phase[]; appliesTo?: Control['appliesTo']; verdict?: Verdict; onAnswer?: boolean } = {}) {
  const calls: string[] = [];
  const answers: string[] = [];
  const factory: ControlFactory = {
    id, phases: opts.phases ?? ['access'], defaultMode: 'block', description: id,
    create: () => ({
      id, phases: opts.phases ?? ['access'],
      ...(opts.appliesTo ? { appliesTo: opts.appliesTo } : {}),
      evaluate: (ctx, phase) => { calls.push(`${phase} ${ctx.route?.operation?.key ?? '-'}`); return opts.verdict ?? PASS; },
      ...(opts.onAnswer ? { onAnswer: (ctx: RequestContext) => { answers.push(ctx.route?.operation?.key ?? '-'); } } : {}),
    }),
  };
  return { factory, calls, answers };
}

const op = (key: string, extra: Partial<CompiledOperation> = {}) => ({ key, operationId: undefined, mode: undefined, ...extra }) as unknown as CompiledOperation;

function ctxFor(operation: CompiledOperation | undefined): RequestContext {
  return {
    id: 'req_1', receivedAt: 0, method: 'GET', path: '/x', rawQuery: null, query: undefined, headers: {}, clientIp: '127.0.0.1',
    route: { upstream: 'u', item: undefined, operation, rawParams: {} },
    principal: { id: 'ip:127.0.0.1', kind: 'anonymous', roles: [], scopes: [] },
    body: undefined, flagged: [], modified: [], clientCert: undefined,
  };
}

const config = (extra: Record<string, unknown> = {}) => validateConfig({ upstreams: [{ url: 'http://127.0.0.1:1', spec: 'x.yaml' }], ...extra }, { baseDir: '/' });

describe('Pipeline plans', () => {
  const read = op('GET /items/{id}');
  const write = op('POST /items');

  it('runs a control only on the operations it applies to, asking once per operation', async () => {
    let asked = 0;
    const scoped = recorder('scoped', { appliesTo: (o) => { asked += 1; return o === write; } });
    const always = recorder('always');
    const p = await Pipeline.create(config(), [scoped.factory, always.factory]);
    for (let i = 0; i < 3; i++) {
      p.run('access', ctxFor(read));
      p.run('access', ctxFor(write));
      p.run('access', ctxFor(undefined));
    }
    expect(scoped.calls).toEqual(['access POST /items', 'access POST /items', 'access POST /items']);
    expect(always.calls).toHaveLength(9);
    expect(asked).toBe(3);
  });

  it('says whether a phase has work on an operation', async () => {
    const body = recorder('body', { phases: ['responseBody'], appliesTo: (o) => o === write });
    const p = await Pipeline.create(config(), [body.factory]);
    expect(p.has('responseBody', write)).toBe(true);
    expect(p.has('responseBody', read)).toBe(false);
    expect(p.has('responseBody')).toBe(false);
    expect(p.has('access', write)).toBe(false);
  });

  it('leaves out a control an operation turns off, and keeps the block/monitor mode per operation', async () => {
    const finding: Verdict = { kind: 'block', ruleId: 'test/x', owasp: 'none', severity: 'low', status: 400, detail: 'x', evidence: {} };
    const blocker = recorder('blocker', { verdict: finding });
    const p = await Pipeline.create(config({
      operations: { 'GET /items/{id}': { controls: { blocker: 'off' } }, 'POST /items': { controls: { blocker: 'monitor' } } },
    }), [blocker.factory]);
    expect(p.run('access', ctxFor(read))).toEqual({});
    const monitored = ctxFor(write);
    expect(p.run('access', monitored)).toEqual({});
    expect(monitored.flagged.map((f) => f.ruleId)).toEqual(['test/x']);
    expect(p.run('access', ctxFor(op('GET /other')))).toMatchObject({ blocked: { ruleId: 'test/x', controlId: 'blocker' } });
    expect(blocker.calls).toEqual(['access POST /items', 'access GET /other']);
  });

  it('reports answers only to the controls that ran on the operation', async () => {
    const scoped = recorder('scoped', { appliesTo: (o) => o === write, onAnswer: true });
    const p = await Pipeline.create(config(), [scoped.factory]);
    p.answered(ctxFor(read));
    p.answered(ctxFor(write));
    expect(scoped.answers).toEqual(['POST /items']);
  });
});
