import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromFlags } from '../../src/cli/protect.js';
import { startGateway, type RunningGateway } from '../../src/gateway/start.js';
import { withChallenge } from '../../src/solver/index.js';
import { startEchoUpstream } from '../helpers/echo-upstream.js';

/**
 * Sensitive flows through the gateway, judged by what the upstream answers: failed logins lock
 * an account, credential stuffing locks its source, a botnet on one account meets a challenge,
 * OTP guesses, sign-ups and daily checkouts are bounded; an honest user who mistypes is not.
 */
const spec = fileURLToPath(new URL('../fixtures/flows-api.yaml', import.meta.url));
let upstream: Awaited<ReturnType<typeof startEchoUpstream>>;
let gateway: RunningGateway;

beforeAll(async () => {
  upstream = await startEchoUpstream((r) => {
    const body = r.body.toString('utf8');
    if (r.url === '/login') return { status: (JSON.parse(body) as { password: string }).password === 'right' ? 200 : 401, body: '{}' };
    if (r.url === '/otp') return { status: new URLSearchParams(body).get('code') === '123456' ? 200 : 400, body: '{}' };
    if (r.url === '/signup') return { status: 201, body: '{}' };
    return { status: 200, body: '{}' };
  });
  const config = configFromFlags({ to: upstream.url, spec, listen: '127.0.0.1:0', admin: '127.0.0.1:0', store: 'memory' });
  config.trustedProxies = ['127.0.0.1'];
  config.controls.flows = {
    operations: { verifyOtp: 'otp' },
    policies: {
      login: { delay: { afterFailures: 3, baseMs: 100, maxMs: 100 }, stuffing: { accountsPerSource: 10, sourcesPerAccount: 4, maxSuccessRatio: 0.25 } },
      otp: { delay: { afterFailures: 2, baseMs: 50, maxMs: 100 } },
      checkout: { dailyQuota: 3, attempts: { perPrincipal: 100 } },
    },
  };
  gateway = await startGateway({ config, logLevel: 'silent' });
});
afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

const post = (path: string, ip: string, body: unknown, extra: Record<string, string> = {}) => fetch(`${gateway.url}${path}`, {
  method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body),
  headers: { 'x-forwarded-for': ip, 'content-type': typeof body === 'string' ? 'application/x-www-form-urlencoded' : 'application/json', ...extra },
});
const login = (ip: string, username: string, password: string, extra?: Record<string, string>) => post('/login', ip, { username, password }, extra);
const rule = async (r: Response) => (await r.json() as { rule?: string }).rule;

async function eventsFor(ip: string): Promise<string[]> {
  await gateway.sink.flush();
  const page = await gateway.store.query({ limit: 500 });
  return page.events.filter((e) => e.clientIp === ip).map((e) => e.rule);
}

describe('login flow', () => {
  it('a user who mistypes twice logs in, is not delayed into a lockout and leaves no abuse event', async () => {
    expect((await login('198.51.100.1', 'alice', 'wrong')).status).toBe(401);
    expect((await login('198.51.100.1', 'Alice ', 'wrong2')).status).toBe(401);
    expect((await login('198.51.100.1', 'alice', 'right')).status).toBe(200);
    expect(await eventsFor('198.51.100.1')).toEqual([]);
  });

  it('five failures lock the account (even with the right password) for lockoutSec, with Retry-After; delays grow from the third failure', async () => {
    const ip = '198.51.100.2';
    for (let i = 0; i < 3; i++) expect((await login(ip, 'bob', `guess${i}`)).status).toBe(401);
    const t0 = performance.now();
    expect((await login(ip, 'bob', 'guess3')).status).toBe(401);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(90);
    expect((await login(ip, 'bob', 'guess4')).status).toBe(401);
    const forwarded = upstream.received.length;
    const locked = await login(ip, 'bob', 'right');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
    expect(await rule(locked)).toBe('abuse/flow-lockout');
    // Case and spaces do not make a new account; the lockout is the account's, not the address's.
    expect((await login('203.0.113.2', ' BOB', 'right')).status).toBe(429);
    expect(upstream.received.length).toBe(forwarded);
    expect((await login(ip, 'carol', 'right')).status).toBe(200);
  });

  it('credential stuffing (many accounts, few passwords, from one address) is flagged and the source throttled; another network is not', async () => {
    const ip = '192.0.2.50';
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await login(ip, `user${i}`, 'Summer2026!')).status);
    expect(statuses.slice(0, 9).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(9)).toEqual([429, 429, 429]);
    // Throttled for every account now, a right password included; the /24 with it.
    expect((await login(ip, 'frank', 'right')).status).toBe(429);
    expect((await login('192.0.2.51', 'frank', 'right')).status).toBe(429);
    expect((await login('198.18.0.9', 'frank', 'right')).status).toBe(200);
    const rules = await eventsFor(ip);
    expect(rules).toContain('abuse/credential-stuffing');
  });

  it('one account failing from many addresses needs a solved challenge: accepted once, its replay refused', async () => {
    for (const n of [11, 12, 13, 14]) expect((await login(`10.${n}.0.1`, 'dave', 'nope')).status).toBe(401);
    const asked = await login('10.15.0.1', 'dave', 'right');
    expect(asked.status).toBe(428);
    const where = asked.headers.get('portcullis-challenge');
    expect(where).toBe('/.well-known/portcullis/challenge?method=POST&path=%2Flogin');
    expect(await rule(asked)).toBe('abuse/challenge-required');
    const header = await withChallenge(fetch, `${gateway.url}/.well-known/portcullis/challenge`, { method: 'POST', path: '/login' });
    const forwarded = upstream.received.length;
    const solved = await login('10.15.0.1', 'dave', 'right', header);
    expect(solved.status).toBe(200);
    // The solution is the gateway's: the upstream never sees it.
    expect(upstream.received.at(-1)!.headers['x-portcullis-challenge']).toBeUndefined();
    expect(upstream.received.length).toBe(forwarded + 1);
    const replayed = await login('10.15.0.1', 'dave', 'right', header);
    expect(replayed.status).toBe(428);
    expect((await replayed.json() as { detail: string }).detail).toContain('replayed');
  });

  it('a solution for another path or a tampered one is refused', async () => {
    const other = await withChallenge(fetch, `${gateway.url}/.well-known/portcullis/challenge`, { method: 'POST', path: '/signup' });
    const wrong = await login('10.16.0.1', 'dave', 'right', other);
    expect(wrong.status).toBe(428);
    expect((await wrong.json() as { detail: string }).detail).toContain('wrong-binding');
    const good = await withChallenge(fetch, `${gateway.url}/.well-known/portcullis/challenge`, { method: 'POST', path: '/login' });
    const payload = JSON.parse(Buffer.from(Object.values(good)[0]!, 'base64').toString('utf8')) as { challenge: { parameters: { data: { level: number } } } };
    payload.challenge.parameters.data.level = 5;
    const tampered = await login('10.16.0.1', 'dave', 'right', { 'x-portcullis-challenge': Buffer.from(JSON.stringify(payload)).toString('base64') });
    expect(tampered.status).toBe(428);
    expect((await tampered.json() as { detail: string }).detail).toContain('tampered');
    const garbage = await login('10.16.0.1', 'dave', 'right', { 'x-portcullis-challenge': 'not a solution' });
    expect(garbage.status).toBe(428);
  });
});

describe('other flows', () => {
  it('OTP: five wrong codes lock the account and the caller; the right code is then refused too', async () => {
    const ip = '198.51.100.3';
    for (let i = 0; i < 5; i++) expect((await post('/otp', ip, `username=erin&code=00000${i}`)).status).toBe(400);
    const locked = await post('/otp', ip, 'username=erin&code=123456');
    expect(locked.status).toBe(429);
    expect(await rule(locked)).toBe('abuse/flow-lockout');
  });

  it('sign-up: five per address per 10 minutes, then 429 abuse/flow-limit with Retry-After; another network is unaffected', async () => {
    const ip = '198.51.100.4';
    for (let i = 0; i < 5; i++) expect((await post('/signup', ip, { username: `bot${i}` })).status).toBe(201);
    const over = await post('/signup', ip, { username: 'bot5' });
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(500);
    expect(await rule(over)).toBe('abuse/flow-limit');
    expect((await post('/signup', '203.0.113.4', { username: 'human' })).status).toBe(201);
  });

  it('checkout: the daily quota per caller, renewed at 00:00 UTC', async () => {
    const ip = '198.51.100.5';
    const send = () => fetch(`${gateway.url}/checkout`, { method: 'POST', headers: { 'x-forwarded-for': ip } });
    for (let i = 0; i < 3; i++) expect((await send()).status).toBe(200);
    const over = await send();
    expect(over.status).toBe(429);
    expect(await rule(over)).toBe('abuse/daily-quota');
    const untilMidnight = Math.ceil((86_400_000 - (Date.now() % 86_400_000)) / 1000);
    expect(Math.abs(Number(over.headers.get('retry-after')) - untilMidnight)).toBeLessThanOrEqual(2);
  });
});
