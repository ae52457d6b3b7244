import { describe, expect, it } from 'vitest';
import { findDataClasses } from './find.js';
import type { DataClass } from './types.js';

const CONTEXTS: readonly (readonly [string, string])[] = [['', ''], ['see ', ' now'], ['"', '",'], ['(', ')'], ['x=', ';']];

function expectFound(value: string, cls: DataClass, expected = value): void {
  for (const [pre, post] of CONTEXTS) {
    const text = pre + value + post;
    expect(findDataClasses(text).map((m) => [m.cls, text.slice(m.start, m.end)]), text).toEqual([[cls, expected]]);
  }
}

function expectNotFound(value: string, cls: DataClass): void {
  for (const [pre, post] of CONTEXTS) {
    expect(findDataClasses(pre + value + post, new Set([cls])), pre + value + post).toEqual([]);
  }
}

/** Deterministic filler from an alphabet (no randomness: failures must reproduce). */
function fill(n: number, alphabet = 'aB3dE5gH7jK9mN1pQ2sT4vW6yZ8', seed = 0): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[(i * 7 + seed) % alphabet.length];
  return s;
}
const CRYPT64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function b64url(o: unknown): string {
  return Buffer.from(typeof o === 'string' ? o : JSON.stringify(o)).toString('base64url');
}
function token(header: unknown, payload: unknown = { sub: '42', iat: 1700000000 }, sig = 'c2lnbmF0dXJlLWJ5dGVz'): string {
  return `${b64url(header)}.${b64url(payload)}.${sig}`;
}

describe('jwt', () => {
  it.each([
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
    token({ alg: 'HS256', typ: 'JWT' }),
    token({ typ: 'JWT', alg: 'HS512' }),
    token({ alg: 'RS256', kid: 'key-2024-01' }),
    token({ alg: 'ES256' }, { iss: 'https://issuer.example', aud: ['a', 'b'] }),
    token({ alg: 'PS512', jku: 'https://keys.example/jwks.json' }),
    token({ alg: 'EdDSA', crv: 'Ed25519' }),
    token({ alg: 'none' }, { sub: 'x' }, ''), // unsigned: empty signature
    `${b64url('{ "alg": "HS256" }')}.${b64url({ a: 1 })}.c2ln`, // header with spaces: "eyAi…"
    token({ alg: 'HS256' }, { scope: 'read write', n: fill(300) }),
    token({ alg: 'RS256' }, 'not json but signed'),
    `${b64url({ alg: 'dir', enc: 'A256GCM' })}..aXYtaXYtaXYt.Y2lwaGVydGV4dA.dGFndGFn`, // JWE, direct key
    `${b64url({ alg: 'RSA-OAEP', enc: 'A128GCM' })}.ZW5jcnlwdGVkLWtleQ.aXYtaXYt.Y2lwaGVy.dGFn`,
    token({ alg: 'HS256', b64: false, crit: ['b64'] }),
    token({ alg: 'HS384', cty: 'JWT' }),
  ])('finds %s', (v) => expectFound(v, 'jwt'));

  it.each([
    ['Authorization: Bearer ' + token({ alg: 'HS256' }), token({ alg: 'HS256' })],
    ['/cb?token=' + token({ alg: 'HS256' }) + '&state=1', token({ alg: 'HS256' })],
    ['session=' + token({ alg: 'HS256' }) + '; Path=/', token({ alg: 'HS256' })],
    ['token ' + token({ alg: 'HS256' }) + '.', token({ alg: 'HS256' })],
  ])('finds the token in %s', (v, e) => expectFound(v, 'jwt', e));

  it.each([
    b64url({ alg: 'HS256' }), // one segment
    `${b64url({ alg: 'HS256' })}.${b64url({ sub: 1 })}`, // two segments
    token('hello world'), // header is not JSON
    token({ typ: 'JWT' }), // no alg
    token({ alg: 1 }),
    token([{ alg: 'HS256' }]),
    token({ alg: 'HS256' }, { sub: 1 }, ''), // signed alg, empty signature
    `${b64url({ alg: 'HS256' })}.x.c2ln`, // payload too short
    `${b64url({ alg: 'HS256' })}.abcde.c2ln`, // impossible base64 length
    `${token({ alg: 'HS256' })}.extra`, // four segments
    'x' + token({ alg: 'HS256' }), // inside a longer token
    'aGVsbG8.d29ybGQ.Zm9v', // base64 segments, no JSON header
    'example.com.au',
    'a.b.c',
    '1.2.3',
    'eyJhbGciOiJIUzI1NiJ9', // the bare header
  ])('ignores %s', (v) => expectNotFound(v, 'jwt'));
});

function pem(label: string, lines = 6, eol = '\n'): string {
  const body = Array.from({ length: lines }, (_, i) => fill(64, B64, i)).join(eol);
  return `-----BEGIN ${label}-----${eol}${body}${eol}-----END ${label}-----`;
}

describe('private-key', () => {
  it.each([
    pem('RSA PRIVATE KEY'),
    pem('PRIVATE KEY'),
    pem('EC PRIVATE KEY', 3),
    pem('DSA PRIVATE KEY'),
    pem('ENCRYPTED PRIVATE KEY'),
    pem('OPENSSH PRIVATE KEY'),
    pem('PGP PRIVATE KEY BLOCK'),
    pem('PRIVATE KEY', 4, '\r\n'),
    pem('RSA PRIVATE KEY', 4, '\\n'), // newlines escaped, as in raw JSON text
    `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0123456789ABCDEF\n\n${fill(64, B64)}\n-----END RSA PRIVATE KEY-----`,
  ])('finds %s', (v) => expectFound(v, 'private-key'));

  it('finds a block cut off before its END line', () => {
    const key = `-----BEGIN PRIVATE KEY-----\n${fill(64, B64)}\n${fill(40, B64)}`;
    const text = `{"key":"${key}`;
    expect(findDataClasses(text).map((m) => [m.cls, text.slice(m.start, m.end)])).toEqual([['private-key', key]]);
  });

  it.each([
    pem('PUBLIC KEY'),
    pem('RSA PUBLIC KEY'),
    pem('CERTIFICATE'),
    pem('CERTIFICATE REQUEST'),
    pem('PGP PUBLIC KEY BLOCK'),
    'BEGIN PRIVATE KEY',
    '-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----', // placeholder, no key material
    '-----BEGIN PRIVATE KEY-----',
  ])('ignores %s', (v) => expectNotFound(v, 'private-key'));
});

describe('cloud-secret', () => {
  const alnum = 'A1b2C3d4E5f6G7h8J9k0LmNpQrStUvWxYz';
  it.each([
    'AKIAIOSFODNN7EXAMPLE', // AWS access key id
    'ASIAY34FZKBOKMUTVV7A', // AWS STS
    'AKIAJ2ZQW5N7EXAMPLE2',
    `ghp_${fill(36, alnum)}`, // GitHub
    `gho_${fill(36, alnum, 3)}`,
    `ghs_${fill(36, alnum, 5)}`,
    `github_pat_${fill(22, alnum)}_${fill(59, alnum, 2)}`,
    'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx', // Slack
    'xoxp-123456789012-123456789012-123456789012-0123456789abcdef0123456789abcdef',
    `sk_live_${fill(24, alnum)}`, // Stripe
    `rk_live_${fill(24, alnum, 1)}`,
    'sk_test_4eC39HqLyjWDarjtT1zdp7dc',
    `AIza${fill(35, alnum + '-_')}`, // Google API key
    `pcl_live_AbCd1234_${fill(38, alnum)}`, // Portcullis
    `pcl_staging_Zz9Yy8Xx_${fill(38, alnum, 4)}`,
    `glpat-${fill(20, alnum)}`, // GitLab
    `npm_${fill(36, alnum)}`, // npm
  ])('finds %s', (v) => expectFound(v, 'cloud-secret'));

  it.each([
    ['https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX', 'hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX'],
    ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ['{"SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
  ])('finds the secret in %s', (v, e) => expectFound(v, 'cloud-secret', e));

  it.each([
    'AKIA123',
    'AKIAIOSFODNN7EXAMPL', // one short
    'AKIAIOSFODNN7EXAMPLEX', // one long
    'xAKIAIOSFODNN7EXAMPLE',
    'AIDAIOSFODNN7EXAMPLE', // IAM user id: a name, not a secret
    'akiaiosfodnn7example',
    'ghp_short',
    `ghp_${fill(35, alnum)}`,
    `ghx_${fill(36, alnum)}`,
    'sk_live_',
    'sk_live_short',
    `pk_live_${fill(24, alnum)}`, // Stripe publishable key
    `AIza${fill(34, alnum)}`,
    'xoxz-1234567890-abcdefghij',
    'pcl_live_short_x',
    `pcl_LIVE_AbCd1234_${fill(38, alnum)}`,
    `npm_${fill(35, alnum)}`,
    'glpat-short',
    'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', // 40 base64 characters, unnamed
    'secret_access_key: not-a-key',
    'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3',
  ])('ignores %s', (v) => expectNotFound(v, 'cloud-secret'));
});

describe('password-hash', () => {
  it.each([
    '$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy', // bcrypt
    `$2b$12$${fill(53, CRYPT64)}`,
    `$2y$04$${fill(53, CRYPT64, 3)}`,
    '$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG',
    '$argon2i$v=19$m=4096,t=3,p=1$c29tZXNhbHQ$iWh06vD8Fy27wf9npn6FXWiCX4K6pW6Ue1Bnzz07Z8A',
    '$argon2d$m=1024,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA',
    `$6$rounds=5000$usesomesillystri$${fill(86, CRYPT64)}`, // sha512-crypt
    `$6$saltsalt$${fill(86, CRYPT64, 1)}`,
    `$5$saltstring$${fill(43, CRYPT64)}`, // sha256-crypt
    `$1$saltsalt$${fill(22, CRYPT64)}`, // md5-crypt
    `$apr1$71850310$${fill(22, CRYPT64, 2)}`,
    `$y$j9T$F5Jx5fExrKuPp53xLKQ..1$${fill(43, CRYPT64)}`, // yescrypt
    `$7$C6..../....SodiumChloride$${fill(43, CRYPT64, 4)}`, // scrypt
    '$scrypt$ln=16,r=8,p=1$aM15713r3Xsvxbi31lqr1Q$nFNh2CVHVjNldFVKDHDlm4CbdRSCdEBsjjJxD+iCs5E',
    `$pbkdf2-sha256$29000$N2GMUcqZk7K$${fill(43, CRYPT64)}`,
    `pbkdf2_sha256$260000$Q2d1ZlmnEXAMPLE$${fill(43, B64)}=`, // Django
    `scrypt$16384$saltsaltsalt$8$1$${fill(43, B64)}=`,
    '{SSHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g2Zm9v',
    '{SHA}qUqP5cyxm6YcTAhz05Hph5gvu9M=',
    `{CRYPT}$6$saltsalt$${fill(86, CRYPT64)}`,
  ])('finds %s', (v) => expectFound(v, 'password-hash'));

  it.each([
    '$2b$12$short',
    `$2b$1$${fill(53, CRYPT64)}`, // cost needs two digits
    `$2b$32$${fill(53, CRYPT64)}`, // cost out of range
    `$2b$12$${fill(54, CRYPT64)}`, // one character too many
    `$3$12$${fill(53, CRYPT64)}`,
    '5d41402abc4b2a76b9719d911017c592', // bare MD5 hex: not reported (ETags, ids)
    'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3', // bare SHA-1 hex / git SHA
    '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824', // bare SHA-256 hex
    '$6$saltsalt',
    `$6$saltsalt$${fill(85, CRYPT64)}`,
    '$argon2id$v=19$m=65536',
    '$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ',
    'pbkdf2_sha256$abc$salt$hash',
    '$2.50',
    'cost $2 $12 each',
    '$HOME/bin',
    'argon2id is a KDF',
    '{SSHA}short',
  ])('ignores %s', (v) => expectNotFound(v, 'password-hash'));
});
