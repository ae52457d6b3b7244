import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../../src/gateway/start.js';
import type { SecurityEvent } from '../../src/events/security-event.js';
import { startEchoUpstream } from '../helpers/echo-upstream.js';

/**
 * Excessive data exposure and sensitive data (OWASP API3) on the response path: what the
 * contract does not declare never reaches the client, data classes the operation may not return
 * are masked, and a response that cannot be checked is withheld, not relayed unchecked.
 */
const spec = fileURLToPath(new URL('../fixtures/exposure-api.yaml', import.meta.url));
const secret = 'response-protection-test-secret-0123456789';
const user = { id: 1, name: 'Ann', email: 'ann@example.test', password: 'hunter2', salary: 90_000, passwordHash: '$2b$12$abcdefghijklmnopqrstuv.abcdefghijklmnopqrstuvwxyzABCDE', ssn: '078-05-1120' };

type Reply = { status?: number; headers?: Record<string, string>; body?: string | Buffer };
let reply: (url: string) => Reply | undefined = () => undefined;
let upstream: Awaited<ReturnType<typeof startEchoUpstream>>;
const gateways: RunningGateway[] = [];

async function gateway(extra: Record<string, unknown> = {}): Promise<RunningGateway> {
  const g = await startGateway({
    config: {
      listen: '127.0.0.1:0', admin: { listen: '127.0.0.1:0' }, store: 'memory',
      upstreams: [{ name: 'api', url: upstream.url, spec }],
      identity: { jwt: { issuers: [{ issuer: 'test', algorithms: ['HS256'], secret, rolesClaim: 'role' }] } },
      ...extra,
    },
    logLevel: 'silent',
  });
  gateways.push(g);
  return g;
}

let gw: RunningGateway;
beforeAll(async () => {
  upstream = await startEchoUpstream((r) => reply(r.url));
  gw = await gateway();
});
afterAll(async () => {
  for (const g of gateways) await g.close();
  await upstream?.close();
});

/** The gateway's events of one rule, newest first. */
async function events(g: RunningGateway, rule: string): Promise<SecurityEvent[]> {
  await g.sink.flush();
  const page = await g.store.query({ limit: 500 });
  return page.events.filter((e) => e.rule === rule);
}

const token = (role: string): Promise<string> => new SignJWT({ role }).setProtectedHeader({ alg: 'HS256' }).setSubject('7')
  .setIssuer('test').setExpirationTime('5m').sign(new TextEncoder().encode(secret));

describe('response property filtering', () => {
  it('strips undeclared and writeOnly properties and role-gated ones the caller lacks, and says which', async () => {
    reply = () => ({ body: JSON.stringify(user), headers: { etag: '"v1"' } });
    const res = await fetch(`${gw.url}/users/1`);
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(JSON.parse(text)).toEqual({ id: 1, name: 'Ann', email: 'ann@example.test' });
    expect(text).not.toContain('hunter2');
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    expect(res.headers.get('etag')).toBeNull();
    const [event] = (await events(gw, 'response/excessive-data-exposure'));
    expect(event?.action).toBe('modified');
    expect(event?.owasp).toBe('API3:2023');
    expect(event?.evidence.stripped).toEqual(['/password', '/salary', '/passwordHash', '/ssn']);
    expect(JSON.stringify(event)).not.toContain('hunter2');
  });

  it('shows a role-gated property to a caller holding the role', async () => {
    reply = () => ({ body: JSON.stringify(user) });
    const hr = await fetch(`${gw.url}/users/1`, { headers: { authorization: `Bearer ${await token('hr')}` } });
    expect(await hr.json()).toEqual({ id: 1, name: 'Ann', email: 'ann@example.test', salary: 90_000 });
    const staff = await fetch(`${gw.url}/users/1`, { headers: { authorization: `Bearer ${await token('staff')}` } });
    expect(await staff.json()).toEqual({ id: 1, name: 'Ann', email: 'ann@example.test' });
    // Credentials are optional here ({} beside bearerAuth), but presented ones must be valid.
    const forged = await fetch(`${gw.url}/users/1`, { headers: { authorization: `Bearer ${(await token('hr')).slice(0, -2)}xx` } });
    expect(forged.status).toBe(401);
  });

  it('filters inside arrays, matches 2XX, and relays a response with nothing to strip byte for byte', async () => {
    reply = () => ({ status: 206, body: JSON.stringify({ items: [user, { id: 2, name: 'Bo' }], next: null, debug: { sql: 'select *' } }) });
    const res = await fetch(`${gw.url}/users`);
    expect(res.status).toBe(206);
    expect(await res.json()).toEqual({ items: [{ id: 1, name: 'Ann', email: 'ann@example.test' }, { id: 2, name: 'Bo' }], next: null });
    const clean = ' {"id": 3, "name":"Cy"} ';
    reply = () => ({ body: clean });
    const same = await fetch(`${gw.url}/users/3`);
    expect(await same.text()).toBe(clean);
  });

  it('decodes a gzip response to filter it, and sends the result uncoded', async () => {
    reply = () => ({ body: gzipSync(JSON.stringify(user)), headers: { 'content-encoding': 'gzip' } });
    const res = await fetch(`${gw.url}/users/1`);
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(await res.json()).toEqual({ id: 1, name: 'Ann', email: 'ann@example.test' });
  });

  it('withholds what it cannot filter: another content type, broken JSON, an unknown coding', async () => {
    const cases: [Reply, string][] = [
      [{ body: '<p>ann@example.test hunter2</p>', headers: { 'content-type': 'text/html' } }, 'response/undeclared-content-type'],
      [{ body: '{"id":1,"password":"hunter2"' }, 'response/invalid-json'],
      [{ body: 'xx', headers: { 'content-encoding': 'zstd' } }, 'response/uninspectable'],
    ];
    for (const [r, rule] of cases) {
      reply = () => r;
      const res = await fetch(`${gw.url}/users/1`);
      const text = await res.text();
      expect(res.status, rule).toBe(502);
      expect(text).not.toContain('hunter2');
      expect(JSON.parse(text).rule).toBe(rule);
    }
  });

  it('applies the declared schema of the status that answered (404 problem), and leaves undeclared statuses alone', async () => {
    reply = () => ({ status: 404, body: JSON.stringify({ title: 'missing', status: 404, trace: 'at db.js:1' }), headers: { 'content-type': 'application/problem+json' } });
    const missing = await fetch(`${gw.url}/users/9`);
    expect(await missing.json()).toEqual({ title: 'missing', status: 404 });
    reply = () => ({ status: 409, body: JSON.stringify({ conflict: true }) });
    const conflict = await fetch(`${gw.url}/users/9`);
    expect(await conflict.json()).toEqual({ conflict: true });
  });

  it('refuses a response too large to inspect where it enforces, and relays it flagged where it monitors', async () => {
    const big = JSON.stringify({ id: 1, name: 'x'.repeat(8_000) });
    reply = () => ({ body: big });
    const small = await gateway({ limits: { responseInspectBytes: 4_096 } });
    const refused = await fetch(`${small.url}/users/1`);
    expect(refused.status).toBe(502);
    expect(((await refused.json()) as { rule: string }).rule).toBe('upstream/response-too-large-to-inspect');
    const watching = await gateway({ limits: { responseInspectBytes: 4_096 }, mode: 'monitor' });
    const relayed = await fetch(`${watching.url}/users/1`);
    expect(await relayed.text()).toBe(big);
    expect((await events(watching, 'response/uninspectable')).at(0)?.action).toBe('flagged');
  });

  it('in monitor mode reports what it would strip and changes nothing', async () => {
    const g = await gateway({ mode: 'monitor' });
    const body = JSON.stringify(user);
    reply = () => ({ body });
    const res = await fetch(`${g.url}/users/1`);
    expect(await res.text()).toBe(body);
    const [event] = await events(g, 'response/excessive-data-exposure');
    expect(event?.action).toBe('flagged');
    expect(event?.evidence.count).toBe(4);
  });
});

describe('sensitive data in responses', () => {
  const payment = { id: 5, card: '4111 1111 1111 1111', holder: 'Ann', iban: 'GB82 WEST 1234 5698 7654 32', contact: 'ann@example.test', aws: 'AKIAIOSFODNN7EXAMPLE' };

  it('masks classes the operation does not allow, keeps allowed ones, and names classes, not values', async () => {
    reply = () => ({ body: JSON.stringify(payment) });
    const res = await fetch(`${gw.url}/payments/5`);
    const body = await res.json() as Record<string, unknown>;
    expect(body.card).toBe('**** **** **** 1111');
    expect(body.iban).toBe('[iban]');
    expect(body.aws).toBe('[cloud-secret]');
    expect(body.contact).toBe('ann@example.test');
    expect(body.holder).toBe('Ann');
    const [event] = (await events(gw, 'response/sensitive-data'));
    expect(event?.action).toBe('modified');
    expect(event?.evidence.classes).toEqual(['cloud-secret', 'iban', 'payment-card']);
    expect(JSON.stringify(event)).not.toMatch(/4111|WEST|AKIA/);
  });

  it('lets through a class the operation declares (x-portcullis-data-classes)', async () => {
    reply = () => ({ body: JSON.stringify({ card: '4111 1111 1111 1111' }) });
    const res = await fetch(`${gw.url}/cards/5`);
    expect(await res.json()).toEqual({ card: '4111 1111 1111 1111' });
  });

  it('withholds the response with action: block, and config overrides the spec per operation', async () => {
    const g = await gateway({ controls: { 'sensitive-data': { action: 'block' } }, operations: { getCard: { dataClasses: [] } } });
    reply = () => ({ body: JSON.stringify({ card: '4111 1111 1111 1111' }) });
    for (const path of ['/payments/5', '/cards/5']) {
      const res = await fetch(`${g.url}${path}`);
      const text = await res.text();
      expect(res.status, path).toBe(502);
      expect(text).not.toContain('4111');
    }
  });

  it('relays a JSON response too large to scan, flagged, instead of refusing it (scanning is best effort)', async () => {
    const g = await gateway({ limits: { responseInspectBytes: 4_096 } });
    const big = JSON.stringify({ rows: 'x'.repeat(8_000) });
    reply = () => ({ body: big });
    const res = await fetch(`${g.url}/payments/5`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(big);
    expect((await events(g, 'response/uninspectable')).at(0)?.action).toBe('flagged');
  });

  it('masks text responses too (a CSV export), and leaves other charsets alone', async () => {
    reply = () => ({ body: 'holder,card,contact\nAnn,4111 1111 1111 1111,ann@example.test\n', headers: { 'content-type': 'text/csv; charset=utf-8' } });
    const res = await fetch(`${gw.url}/exports/payments`);
    expect(await res.text()).toBe('holder,card,contact\nAnn,**** **** **** 1111,ann@example.test\n');
    const [event] = (await events(gw, 'response/sensitive-data'));
    expect(event?.evidence.classes).toEqual(['payment-card']);
    reply = () => ({ body: 'Ann,4111 1111 1111 1111', headers: { 'content-type': 'text/csv; charset=utf-16le' } });
    expect(await (await fetch(`${gw.url}/exports/payments`)).text()).toBe('Ann,4111 1111 1111 1111');
  });

  it('never buffers responses no control asks for (opaque media types)', async () => {
    reply = () => ({ body: 'card 4111 1111 1111 1111', headers: { 'content-type': 'application/octet-stream' } });
    const res = await fetch(`${gw.url}/files/1`);
    expect(await res.text()).toBe('card 4111 1111 1111 1111');
  });

  it('refuses an unknown data class in the configuration', async () => {
    await expect(gateway({ operations: { getCard: { dataClasses: ['shoe-size'] } } })).rejects.toMatchObject({ code: 'PC_ERR_CONFIG_INVALID', details: [expect.stringMatching(/dataClasses/)] });
  });
});
