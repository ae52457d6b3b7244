import { describe, expect, it } from 'vitest';
import { ClientIpResolver, forwardedFor } from './client-ip.js';

describe('client address', () => {
  const behind = new ClientIpResolver(['10.0.0.0/8']);

  it('believes X-Forwarded-For only from a trusted peer, walking right to left past trusted hops', () => {
    expect(behind.resolve('10.0.0.2', '203.0.113.9, 10.0.0.7').ip).toBe('203.0.113.9');
    expect(behind.resolve('198.51.100.1', '203.0.113.9').ip).toBe('198.51.100.1');
    // A client cannot choose its address by prepending one: the first untrusted hop from the right wins.
    expect(behind.resolve('10.0.0.2', '1.1.1.1, 203.0.113.9').ip).toBe('203.0.113.9');
    expect(new ClientIpResolver([]).resolve('10.0.0.2', '203.0.113.9').ip).toBe('10.0.0.2');
  });

  it('reads RFC 7239 Forwarded (quoted IPv6 with ports, obfuscated nodes) in preference to X-Forwarded-For', () => {
    expect(forwardedFor('for=192.0.2.60;proto=http;by=203.0.113.43, for="[2001:db8:cafe::17]:4711"')).toBe('192.0.2.60,2001:db8:cafe::17');
    expect(forwardedFor('for=unknown, For="192.0.2.7:8080"')).toBe('unknown,192.0.2.7');
    expect(behind.resolve('10.0.0.2', '198.51.100.50', 'for=192.0.2.60, for=10.0.0.9').ip).toBe('192.0.2.60');
    expect(behind.resolve('10.0.0.2', undefined, 'for="[2001:db8::5]:443"').ip).toBe('2001:db8::5');
    expect(behind.resolve('198.51.100.1', undefined, 'for=192.0.2.60').ip).toBe('198.51.100.1');
  });
});
