import { describe, expect, it } from 'vitest';
import { classifyAddress } from './addresses.js';
import { PinnedResolver } from './resolver.js';
import { literalHostTarget, schemelessInwardTarget, urlTarget } from './url-target.js';

const HTTP = new Set(['http', 'https']);

describe('address classes', () => {
  it.each([
    ['127.0.0.1', 'loopback'], ['127.255.0.9', 'loopback'], ['::1', 'loopback'],
    ['10.1.2.3', 'private'], ['172.31.255.255', 'private'], ['192.168.0.1', 'private'], ['fd12::1', 'private'],
    ['169.254.169.254', 'metadata'], ['fd00:ec2::254', 'metadata'], ['100.100.100.200', 'metadata'],
    ['169.254.1.1', 'link-local'], ['fe80::1', 'link-local'], ['0.0.0.0', 'unspecified'], ['::', 'unspecified'],
    ['100.64.0.1', 'shared'], ['224.0.0.1', 'multicast'], ['255.255.255.255', 'reserved'],
    ['::ffff:127.0.0.1', 'loopback'], ['::ffff:7f00:1', 'loopback'], ['::ffff:a9fe:a9fe', 'metadata'],
    ['64:ff9b::a00:1', 'private'], ['2002:7f00:1::', 'loopback'], ['::a9fe:a9fe', 'metadata'], ['::10.0.0.7', 'private'],
    ['b::', 'reserved'], ['cafe:babe::1', 'reserved'], ['4000::1', 'reserved'],
    ['93.184.216.34', 'public'], ['8.8.8.8', 'public'], ['2606:4700::1111', 'public'], ['172.32.0.1', 'public'],
  ])('%s is %s', (address, cls) => {
    expect(classifyAddress(address)).toBe(cls);
  });
});

describe('URL targets', () => {
  it.each([
    'http://127.0.0.1/', 'http://2130706433/', 'http://0x7f.0.0.1/', 'http://0177.0.0.1/', 'http://127.1/', 'http://017700000001/',
    'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'https://169.254.169.254/latest/meta-data/', 'http://[fd00:ec2::254]/',
    'http://0/', 'HTTP://127.0.0.1:8080/x', 'http://localhost/', 'http://localhost./', 'http://api.localhost/', 'http://metadata.google.internal/',
    'http://db/', 'http://①②⑦.0.0.1/', '//127.0.0.1/x',
  ])('%s points inward', (u) => {
    const t = urlTarget(u, HTTP);
    expect(t.kind).toBe('address');
    expect(t.kind === 'address' && t.cls).not.toBe('public');
  });

  it.each([
    ['http://evil.test\\@127.0.0.1/', 'ambiguous'], ['http://user:pw@169.254.169.254/', 'ambiguous'], ['http://a@b@example.com/', 'ambiguous'],
    ['http://exa mple.com/', 'ambiguous'], ['http://example.com/\u0000', 'ambiguous'],
    ['file:///etc/passwd', 'scheme'], ['gopher://127.0.0.1:6379/_FLUSHALL', 'scheme'], ['dict://10.0.0.1:11211/', 'scheme'],
  ])('%s is refused as %s', (u, kind) => {
    expect(urlTarget(u, HTTP).kind).toBe(kind);
  });

  it('reads public addresses and names as such, and leaves non-URLs alone', () => {
    expect(urlTarget('https://93.184.216.34/logo.png', HTTP)).toEqual({ kind: 'address', address: '93.184.216.34', cls: 'public' });
    expect(urlTarget('https://cdn.example.com./img.png', HTTP)).toEqual({ kind: 'name', host: 'cdn.example.com' });
    for (const v of ['O\'Brien', 'see ../docs', 'C:\\Users\\me', '12:30', 'a plain sentence: with a colon']) expect(urlTarget(v, HTTP).kind, v).toBe('not-a-url');
  });
});

describe('schemeless inward targets', () => {
  it.each([
    ['localhost/', false, 'loopback'], ['localhost.localdomain/', false, 'loopback'], ['ip6-loopback:8080', false, 'loopback'],
    ['gateway.docker.internal/x', false, 'private'], ['redis.default.svc.cluster.local:6379', false, 'private'], ['a.lvh.me/', false, 'loopback'],
    ['localhost', true, 'loopback'], ['169.254.169.254/latest/meta-data/', true, 'metadata'], ['127.0.0.1:2375/containers/json', true, 'loopback'],
  ])('%s (URL-valued: %s) is %s', (v, urlValued, cls) => {
    expect(schemelessInwardTarget(v, urlValued)).toMatchObject({ kind: 'address', cls });
  });

  it.each([
    ['localhost', false], ['internal', true], ['10.0.0.0/8', true], ['10.0.0.5', true], ['169.254.169.254/latest', false], ['8.8.8.8/dns', true],
    ['images/cat.png', true], ['api.example.com/v1', true], ['run on localhost/', false], ['a'.repeat(2000) + '!', true], ['x.'.repeat(200) + 'localhost/', false],
  ])('%s (URL-valued: %s) is not', (v, urlValued) => {
    expect(schemelessInwardTarget(v, urlValued)).toBeUndefined();
  });
});

describe('pinned resolver', () => {
  it('pins an answer for the ttl, so a rebinding name cannot switch within it', async () => {
    let clock = 0;
    const answers = [['93.184.216.34'], ['127.0.0.1']];
    let calls = 0;
    const r = new PinnedResolver({ ttlMs: 1000, maxEntries: 10, timeoutMs: 100 }, async () => answers[Math.min(calls++, 1)]!, () => clock);
    expect(await r.resolve('rebind.test')).toEqual({ ok: true, addresses: ['93.184.216.34'] });
    expect(await r.resolve('REBIND.test')).toEqual({ ok: true, addresses: ['93.184.216.34'] });
    clock = 1001;
    expect(await r.resolve('rebind.test')).toEqual({ ok: true, addresses: ['127.0.0.1'] });
    expect(calls).toBe(2);
  });

  it('reports failures and timeouts, never an empty success', async () => {
    const failing = new PinnedResolver({ ttlMs: 1000, maxEntries: 10, timeoutMs: 50 }, () => Promise.reject(new Error('ENOTFOUND')));
    expect(await failing.resolve('nx.test')).toMatchObject({ ok: false });
    const slow = new PinnedResolver({ ttlMs: 1000, maxEntries: 10, timeoutMs: 20 }, () => new Promise(() => undefined));
    expect(await slow.resolve('slow.test')).toEqual({ ok: false, reason: 'lookup timed out' });
    const empty = new PinnedResolver({ ttlMs: 1000, maxEntries: 10, timeoutMs: 20 }, async () => []);
    expect(await empty.resolve('empty.test')).toEqual({ ok: false, reason: 'no address' });
  });
});

describe('URL look-alikes in free text', () => {
  it.each(['urn:isbn:0451450523', 'mailto:ann@example.com', 'tel:+1-555-0100', 'C:/Windows/System32', 'Note: 127.0.0.1 is loopback', 'x:y'])('%s is not a fetch target', (v) => {
    expect(urlTarget(v, HTTP).kind).toBe('not-a-url');
  });
  it('still reads scheme-relative and slash-less fetching schemes', () => {
    expect(urlTarget('file:/etc/passwd', HTTP).kind).toBe('scheme');
    expect(urlTarget('http:127.0.0.1', HTTP)).toMatchObject({ kind: 'address', cls: 'loopback' });
  });
});

describe('literal hosts as other clients read them', () => {
  it.each([
    ['ssh://0177.0.0.01/', 'loopback'], ['rtmp://017700000001', 'loopback'], ['git://10.1.2.3/repo.git', 'private'], ['redis://127.1:6379', 'loopback'],
    ['rsync://[::ffff:169.254.169.254]/x', 'metadata'], ['imap://⑩.⓪.⓪.①', 'private'], ['irc://ⓛⓞⓒⓐⓛⓗⓞⓢⓣ', 'loopback'],
    ['http://[fe80::1%25eth0]/', 'link-local'], ['ldap://user@0x7f000001/', 'loopback'], ['amqp://broker.internal:5672', 'private'],
  ])('%s is %s', (v, cls) => {
    expect(literalHostTarget(v)).toMatchObject({ kind: 'address', cls });
  });

  it('refuses numbers too large for IPv4 and backslashes in the authority as ambiguous', () => {
    expect(literalHostTarget('http://4311744512/')).toMatchObject({ kind: 'ambiguous' }); // 2^32 + 16843009: 1.1.1.1 once truncated
    expect(literalHostTarget('http://0x100000001/')).toMatchObject({ kind: 'ambiguous', reason: expect.stringContaining('0.0.0.1') as unknown });
    expect(literalHostTarget('http://\\a\\b/')).toMatchObject({ kind: 'ambiguous' });
  });

  it.each(['wss://chat.example.com/x', 'ssh://git@github.com/org/a.git', 'gid://shop/Product/1', 'mailto:a@example.com', 'spotify:track:1', 'ssh://8.8.8.8', 'x://', 'http://999.1.2.3/', '0://1/2/3', 'app://7/items/9'])('%s is no inward literal', (v) => {
    const t = literalHostTarget(v);
    expect(t === undefined || (t.kind === 'address' && t.cls === 'public')).toBe(true);
  });
});
