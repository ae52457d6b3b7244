import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../config/load.js';
import type { Principal, RequestContext } from '../../core/context.js';
import type { Phase } from '../../core/phases.js';
import { InspectedResponse } from '../../core/response.js';
import type { Verdict } from '../../core/verdict.js';
import { compileSpec, type CompiledOperation } from '../../openapi/compile.js';
import type { JsonObject } from '../../openapi/load.js';
import { objectAuthorization, RULE_NOT_OWNER } from './index.js';
import type { OwnershipRuleConfig } from './rules.js';

const doc = {
  openapi: '3.1.0', info: { title: 't', version: '1' },
  paths: {
    '/users/{userId}': { get: { operationId: 'getUser', parameters: [{ name: 'userId', in: 'path', required: true, schema: { type: 'string' } }], responses: { 200: { description: 'ok' } } } },
    '/reports': { get: { operationId: 'listReports', parameters: [{ name: 'owner', in: 'query', schema: { type: 'string' } }], responses: { 200: { description: 'ok' } } } },
    '/transfers': { post: { operationId: 'transfer', requestBody: { content: { 'application/json': { schema: {} } } }, responses: { 201: { description: 'ok' } } } },
    '/orders/{id}': { get: { operationId: 'getOrder', parameters: [{ name: 'id', in: 'path', required: true }], responses: { 200: { description: 'ok' } } } },
  },
} as unknown as JsonObject;
const ops = compileSpec({ file: 'inline.yaml', version: '3.1', doc }, { upstream: 'u', rejectUndeclared: true }).operations;
const op = (id: string): CompiledOperation => ops.find((o) => o.operationId === id)!;

const alice: Principal = { id: 'jwt:1', kind: 'jwt', roles: ['user'], scopes: [], claims: { sub: '1', tenants: ['t1', 't2'] } };
const admin: Principal = { id: 'jwt:9', kind: 'jwt', roles: ['admin'], scopes: [], claims: { sub: '9' } };
const anonymous: Principal = { id: 'ip:127.0.0.1', kind: 'anonymous', roles: [], scopes: [] };

async function control(rules: OwnershipRuleConfig[], status?: 403 | 404) {
  const config = validateConfig({ upstreams: [{ url: 'http://127.0.0.1:1', spec: 'x.yaml' }], controls: { 'object-authorization': status ? { rules, status } : { rules } } }, { baseDir: '/' });
  return objectAuthorization.create({ config, operations: ops });
}

function ctx(operation: CompiledOperation, principal: Principal, parts: Partial<Pick<RequestContext, 'query' | 'headers' | 'body'>> & { params?: Record<string, string> } = {}): RequestContext {
  return {
    id: 'r', receivedAt: 0, method: operation.method, path: '/', rawQuery: null, query: parts.query, headers: parts.headers ?? {}, clientIp: '127.0.0.1',
    route: { upstream: 'u', item: undefined, operation, rawParams: parts.params ?? {} }, principal, body: parts.body, flagged: [], modified: [],
  };
}

async function run(rules: OwnershipRuleConfig[], c: RequestContext, phase: Phase, response?: InspectedResponse, status?: 403 | 404): Promise<Verdict> {
  return (await control(rules, status)).evaluate(c, phase, response);
}

const json = (value: unknown, status = 200): InspectedResponse => new InspectedResponse(status, {}, 'application/json', Buffer.from(JSON.stringify(value)));
const userRule: OwnershipRuleConfig = { operation: 'getUser', value: 'path.userId', equals: 'sub', unlessRoles: ['admin'] };

describe('ownership rules on the request', () => {
  it('passes the owner, refuses anyone else (403), exempts admin, and refuses an anonymous caller with 401', async () => {
    expect((await run([userRule], ctx(op('getUser'), alice, { params: { userId: '1' } }), 'requestBody')).kind).toBe('pass');
    const other = await run([userRule], ctx(op('getUser'), alice, { params: { userId: '2' } }), 'requestBody');
    expect(other).toMatchObject({ kind: 'block', ruleId: RULE_NOT_OWNER, status: 403, owasp: 'API1:2023', evidence: { value: '2', claim: 'sub' } });
    expect((await run([userRule], ctx(op('getUser'), admin, { params: { userId: '2' } }), 'requestBody')).kind).toBe('pass');
    expect(await run([userRule], ctx(op('getUser'), anonymous, { params: { userId: '1' } }), 'requestBody')).toMatchObject({ kind: 'block', status: 401 });
  });

  it('compares the decoded path value, and answers 404 when configured so', async () => {
    expect((await run([userRule], ctx(op('getUser'), alice, { params: { userId: '%31' } }), 'requestBody')).kind).toBe('pass');
    expect(await run([userRule], ctx(op('getUser'), alice, { params: { userId: '1%2C2' } }), 'requestBody', undefined, 404)).toMatchObject({ kind: 'block', status: 404 });
  });

  it('checks every value of a repeated query parameter, and a list claim as "one of"', async () => {
    const rule: OwnershipRuleConfig = { operation: 'listReports', value: 'query.owner', equals: 'tenants' };
    expect((await run([rule], ctx(op('listReports'), alice, { query: new Map([['owner', ['t1', 't2']]]) }), 'requestBody')).kind).toBe('pass');
    expect((await run([rule], ctx(op('listReports'), alice, { query: new Map([['owner', ['t1', 't3']]]) }), 'requestBody')).kind).toBe('block');
    expect((await run([rule], ctx(op('listReports'), alice), 'requestBody')).kind).toBe('pass'); // no owner named
  });

  it('checks a header value', async () => {
    const rule: OwnershipRuleConfig = { operation: 'listReports', value: 'header.X-Tenant', equals: 'tenants' };
    expect((await run([rule], ctx(op('listReports'), alice, { headers: { 'x-tenant': 't2' } }), 'requestBody')).kind).toBe('pass');
    expect((await run([rule], ctx(op('listReports'), alice, { headers: { 'x-tenant': 't9' } }), 'requestBody')).kind).toBe('block');
  });

  it('checks a body value; an absent one is not checked, a non-scalar one ({"$ne": …}) is refused', async () => {
    const rule: OwnershipRuleConfig = { operation: 'transfer', value: 'body/from/account', equals: 'sub' };
    const body = (value: unknown) => ({ body: { bytes: Buffer.alloc(0), mediaType: 'application/json', value, decoded: true } });
    expect((await run([rule], ctx(op('transfer'), alice, body({ from: { account: 1 } })), 'requestBody')).kind).toBe('pass');
    expect((await run([rule], ctx(op('transfer'), alice, body({ from: { account: 2 } })), 'requestBody')).kind).toBe('block');
    expect((await run([rule], ctx(op('transfer'), alice, body({ to: 5 })), 'requestBody')).kind).toBe('pass');
    expect((await run([rule], ctx(op('transfer'), alice, body({ from: { account: { $ne: 0 } } })), 'requestBody')).kind).toBe('block');
    expect((await run([rule], ctx(op('transfer'), alice, body({ from: { account: [1, 2] } })), 'requestBody')).kind).toBe('block');
  });

  it('refuses a caller without the claim: a rule never passes for want of data', async () => {
    const noSub: Principal = { ...alice, claims: {} };
    expect((await run([userRule], ctx(op('getUser'), noSub, { params: { userId: '1' } }), 'requestBody')).kind).toBe('block');
  });
});

describe('ownership rules on the response', () => {
  const orderRule: OwnershipRuleConfig = { operation: 'getOrder', response: '/userId', equals: 'sub', unlessRoles: ['admin'] };

  it('withholds a response whose owner field names someone else, or lacks it', async () => {
    const c = ctx(op('getOrder'), alice);
    const ctl = await control([orderRule]);
    expect(ctl.wantsResponseBody?.(c, { status: 200, mediaType: 'application/json' })).toBe(true);
    expect(ctl.wantsResponseBody?.(c, { status: 404, mediaType: 'application/json' })).toBe(false);
    expect((await ctl.evaluate(c, 'responseBody', json({ id: 5, userId: 1 }))).kind).toBe('pass');
    expect(await ctl.evaluate(c, 'responseBody', json({ id: 6, userId: 2 }))).toMatchObject({ kind: 'block', status: 403, evidence: { phase: 'response', value: '2' } });
    expect(await ctl.evaluate(c, 'responseBody', json({ id: 7 }))).toMatchObject({ kind: 'block', evidence: { value: '(missing)' } });
    expect((await ctl.evaluate(c, 'responseBody', new InspectedResponse(200, {}, 'application/json', Buffer.from('{bad'))))).toMatchObject({ kind: 'block' });
    expect((await ctl.evaluate(ctx(op('getOrder'), admin), 'responseBody', json({ id: 6, userId: 2 }))).kind).toBe('pass');
  });

  it('checks every item of a list (*), where an empty list passes', async () => {
    const rule: OwnershipRuleConfig = { operation: 'getOrder', response: '/items/*/userId', equals: 'sub' };
    const c = ctx(op('getOrder'), alice);
    expect((await run([rule], c, 'responseBody', json({ items: [{ userId: 1 }, { userId: '1' }] }))).kind).toBe('pass');
    expect((await run([rule], c, 'responseBody', json({ items: [] }))).kind).toBe('pass');
    expect((await run([rule], c, 'responseBody', json({ items: [{ userId: 1 }, { userId: 2 }] }))).kind).toBe('block');
    expect((await run([rule], c, 'responseBody', json({ items: [{ userId: 1 }, {}] }))).kind).toBe('block');
  });
});

describe('rule configuration', () => {
  it('refuses rules that name nothing real or say two things', async () => {
    await expect(control([{ operation: 'nope', value: 'path.x', equals: 'sub' }])).rejects.toMatchObject({ code: 'PC_ERR_CONFIG_INVALID', message: expect.stringContaining('no operation "nope"') });
    await expect(control([{ operation: 'getUser', value: 'path.id', equals: 'sub' }])).rejects.toThrow(/no path parameter "id"/);
    await expect(control([{ operation: 'getUser', value: 'path.userId', response: '/x', equals: 'sub' }])).rejects.toThrow(/exactly one/);
    await expect(control([{ operation: 'GET /users/{userId}', value: 'path.userId', equals: 'sub' }])).resolves.toBeDefined();
  });
});
