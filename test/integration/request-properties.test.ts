import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../../src/gateway/start.js';
import { startEchoUpstream } from '../helpers/echo-upstream.js';

/**
 * Property-level authorization on requests (OWASP API3, mass assignment): readOnly members,
 * undeclared ones and x-portcullis-write-roles ones the caller lacks are refused, or with
 * `unwritableProperties: strip` removed from the JSON body, which is forwarded as re-checked.
 */
const spec = fileURLToPath(new URL('../fixtures/exposure-api.yaml', import.meta.url));
const secret = 'request-properties-test-secret-0123456789ab';
let upstream: Awaited<ReturnType<typeof startEchoUpstream>>;
let rejecting: RunningGateway;
let stripping: RunningGateway;

beforeAll(async () => {
  upstream = await startEchoUpstream((r) => (r.method === 'PUT' ? { status: 204 } : undefined));
  const config = (extra: Record<string, unknown>) => ({
    listen: '127.0.0.1:0', admin: { listen: '127.0.0.1:0' }, store: 'memory', upstreams: [{ name: 'api', url: upstream.url, spec }],
    identity: { jwt: { issuers: [{ issuer: 'test', algorithms: ['HS256'], secret, rolesClaim: 'role' }] } }, ...extra,
  });
  rejecting = await startGateway({ config: config({}), logLevel: 'silent' });
  stripping = await startGateway({ config: config({ controls: { 'request-validation': { unwritableProperties: 'strip' } } }), logLevel: 'silent' });
});
afterAll(async () => {
  await rejecting?.close();
  await stripping?.close();
  await upstream?.close();
});

const token = (role: string): Promise<string> => new SignJWT({ role }).setProtectedHeader({ alg: 'HS256' }).setSubject('7')
  .setIssuer('test').setExpirationTime('5m').sign(new TextEncoder().encode(secret));

async function put(g: RunningGateway, body: unknown, role?: string, contentType = 'application/json') {
  const before = upstream.received.length;
  const headers: Record<string, string> = { 'content-type': contentType };
  if (role) headers.authorization = `Bearer ${await token(role)}`;
  const res = await fetch(`${g.url}/users/1`, { method: 'PUT', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  const forwarded = upstream.received.slice(before);
  return { status: res.status, problem: text ? (JSON.parse(text) as { rule?: string; detail?: string }) : {}, forwarded };
}

describe('unwritable request properties, refused (the default)', () => {
  it('refuses a role-gated member from a caller without the role (403), and forwards it from one with it', async () => {
    const denied = await put(rejecting, { name: 'Ann', salary: 1 }, 'staff');
    expect(denied.status).toBe(403);
    expect(denied.problem.rule).toBe('contract/property-not-writable');
    expect(denied.problem.detail).toContain('/salary');
    expect(denied.forwarded).toHaveLength(0);
    const anonymous = await put(rejecting, { salary: 1 });
    expect(anonymous.status).toBe(403);
    const allowed = await put(rejecting, { name: 'Ann', salary: 1 }, 'hr');
    expect(allowed.status).toBe(204);
    expect(JSON.parse(allowed.forwarded[0]!.body.toString())).toEqual({ name: 'Ann', salary: 1 });
  });

  it('refuses readOnly (also nested) and undeclared members with their own rules', async () => {
    expect((await put(rejecting, { role: 'admin' }, 'hr')).problem.rule).toBe('contract/read-only-property');
    expect((await put(rejecting, { address: { city: 'X', verified: true } }, 'hr')).problem.rule).toBe('contract/read-only-property');
    expect((await put(rejecting, { name: 'Ann', isAdmin: true }, 'hr')).problem.rule).toBe('contract/undeclared-property');
  });

  it('applies the same gates to form bodies', async () => {
    const r = await put(rejecting, 'name=Ann&salary=5', 'staff', 'application/x-www-form-urlencoded');
    expect(r.status).toBe(403);
    expect(r.forwarded).toHaveLength(0);
  });
});

describe('unwritable request properties, stripped', () => {
  it('removes what the caller may not set, forwards the rest as new bytes, and records which', async () => {
    const r = await put(stripping, { name: 'Ann', role: 'admin', salary: 9, isAdmin: true, address: { city: 'X', verified: true } }, 'staff');
    expect(r.status).toBe(204);
    const sent = r.forwarded[0]!;
    expect(JSON.parse(sent.body.toString())).toEqual({ name: 'Ann', address: { city: 'X' } });
    expect(sent.headers['content-length']).toBe(String(sent.body.length));
    await stripping.sink.flush();
    const event = (await stripping.store.query({ limit: 50 })).events.find((e) => e.rule === 'contract/property-stripped');
    expect(event?.action).toBe('modified');
    expect(event?.evidence.stripped).toEqual(['/role', '/salary', '/isAdmin', '/address/verified']);
    expect(event?.evidence.reasons).toEqual(['hidden', 'role', 'undeclared', 'hidden']);
  });

  it('keeps a role-gated member for a caller holding the role, and still validates what is left', async () => {
    const hr = await put(stripping, { name: 'Ann', salary: 9, role: 'x' }, 'hr');
    expect(JSON.parse(hr.forwarded[0]!.body.toString())).toEqual({ name: 'Ann', salary: 9 });
    const invalid = await put(stripping, { name: 'x'.repeat(100), role: 'x' }, 'hr');
    expect(invalid.status).toBe(400);
    expect(invalid.problem.rule).toBe('contract/invalid-body');
    expect(invalid.forwarded).toHaveLength(0);
  });

  it('forwards a body with nothing to strip byte for byte', async () => {
    const raw = '{ "name" : "Ann" }';
    const r = await put(stripping, raw, 'staff');
    expect(r.forwarded[0]!.body.toString()).toBe(raw);
  });

  it('refuses instead of stripping where it cannot re-encode the body (forms)', async () => {
    const r = await put(stripping, 'name=Ann&salary=5', 'staff', 'application/x-www-form-urlencoded');
    expect(r.status).toBe(403);
  });
});
