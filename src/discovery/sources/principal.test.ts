import { describe, expect, it } from 'vitest';
import { baseRecord } from './base-record.js';
import { parseCombinedLine } from './combined-log.js';
import { principalOf } from './principal.js';
import { SOURCE_DEFAULTS } from './record.js';
import { credentialCookieNames } from './redact.js';

const b64 = (s: string) => Buffer.from(s).toString('base64url');
const jwt = (claims: object, sig: string) => `${b64('{"alg":"HS256"}')}.${b64(JSON.stringify(claims))}.${sig}`;
const basic = (user: string, pw: string) => `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}`;

describe('principal', () => {
  it('a JWT bearer is its issuer and subject: a refreshed token is the same caller, another subject is not', () => {
    const a1 = principalOf([['Authorization', `Bearer ${jwt({ sub: 'u1', iss: 'idp', exp: 1 }, 'SIG1')}`]]);
    const a2 = principalOf([['authorization', `Bearer ${jwt({ sub: 'u1', iss: 'idp', exp: 2 }, 'SIG2')}`]]);
    const b = principalOf([['authorization', `Bearer ${jwt({ sub: 'u2', iss: 'idp' }, 'SIG1')}`]]);
    const otherIssuer = principalOf([['authorization', `Bearer ${jwt({ sub: 'u1', iss: 'other' }, 'SIG1')}`]]);
    expect(a1).toBeDefined();
    expect(a1).toBe(a2);
    expect(new Set([a1, b, otherIssuer]).size).toBe(3);
  });

  it('an opaque bearer is the token; basic is the user name whatever the password', () => {
    expect(principalOf([['authorization', 'Bearer abc']])).toBe(principalOf([['authorization', 'Bearer abc']]));
    expect(principalOf([['authorization', 'Bearer abc']])).not.toBe(principalOf([['authorization', 'Bearer abd']]));
    expect(principalOf([['authorization', basic('ann', 'pw1')]])).toBe(principalOf([['authorization', basic('ann', 'pw2')]]));
    expect(principalOf([['authorization', basic('ann', 'pw1')]])).not.toBe(principalOf([['authorization', basic('bob', 'pw1')]]));
  });

  it('API-key headers, then credential query parameters, then credential cookies; none without a credential', () => {
    const key = principalOf([['X-Api-Key', 'K1']]);
    expect(key).toBeDefined();
    expect(principalOf([['x-api-key', 'K1'], ['cookie', 'session=S']])).toBe(key);
    expect(principalOf([], 'page=2&api_key=K1')).toBeDefined();
    expect(principalOf([], 'page=2&api_key=K1')).not.toBe(principalOf([], 'api_key=K2'));
    expect(principalOf([['cookie', '_ga=1; session=S1']])).toBe(principalOf([['cookie', 'session=S1; _ga=2']]));
    expect(principalOf([['cookie', '_ga=1; theme=dark']])).toBeUndefined();
    expect(principalOf([['accept', 'application/json']], 'page=2')).toBeUndefined();
  });

  it('a principal is a hash: no credential, user name or subject in it', () => {
    const values = [
      principalOf([['authorization', `Bearer ${jwt({ sub: 'alice' }, 'SECRET')}`]]),
      principalOf([['authorization', basic('alice', 'hunter2')]]),
      principalOf([['x-api-key', 'KEY_SECRET_123']]),
    ];
    for (const v of values) {
      expect(v).toMatch(/^[A-Za-z0-9_-]{22}$/);
      for (const s of ['alice', 'hunter2', 'SECRET', 'KEY_SECRET']) expect(v).not.toContain(s);
    }
  });

  it('records: sources fill it, and the cookie names (not values) of credential cookies', () => {
    const r = baseRecord('get', { path: '/a', search: '' }, 200, 0, [['Cookie', 'sid=S_SECRET; theme=dark; auth_token=T']], SOURCE_DEFAULTS);
    expect(r.principal).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(r.credentialCookies).toEqual(['auth_token', 'sid']);
    expect(JSON.stringify(r)).not.toContain('S_SECRET');
    expect(credentialCookieNames([['cookie', 'a b=1; session=2']])).toEqual(['session']);
    expect(credentialCookieNames([['cookie', 'JSESSIONID=1; _ga=2; theme=dark']])).toEqual(['JSESSIONID']);
    const anon = baseRecord('GET', { path: '/a', search: '' }, 200, 0, [], SOURCE_DEFAULTS);
    expect(anon).not.toHaveProperty('principal');
    expect(anon).not.toHaveProperty('credentialCookies');
  });

  it('the combined log: the user field becomes a principal and is not kept', () => {
    const line = (user: string) => `10.0.0.1 - ${user} [01/May/2024:10:00:00 +0000] "GET /a HTTP/1.1" 200 1`;
    const a = parseCombinedLine(line('alice'));
    const b = parseCombinedLine(line('bob'));
    const none = parseCombinedLine(line('-'));
    if (typeof a === 'string' || typeof b === 'string' || typeof none === 'string') throw new Error('not parsed');
    expect(a.principal).toBeDefined();
    expect(a.principal).not.toBe(b.principal);
    expect(none.principal).toBeUndefined();
    expect(JSON.stringify(a)).not.toContain('alice');
  });
});
