import { describe, expect, it } from 'vitest';
import { validHost } from './request-head.js';

describe('validHost', () => {
  it('accepts names, IPv4 and bracketed IPv6 with an optional port', () => {
    for (const h of ['api.example.com', 'localhost:8000', '127.0.0.1', '[::1]:443', 'example.com.']) expect(validHost(h)).toBe(true);
  });

  it('refuses malformed hosts and ports, also right after the same name was accepted', () => {
    expect(validHost('api.example.com')).toBe(true);
    for (const h of ['api.example.com:65536', 'api.example.com:', 'api .example.com', 'api.example.com/x', '', undefined, `${'a'.repeat(63)}.${'b'.repeat(250)}`]) {
      expect(validHost(h)).toBe(false);
    }
    expect(validHost('api.example.com:65535')).toBe(true);
    expect(validHost('api.example.com:65536')).toBe(false);
    expect(validHost('api.example.com')).toBe(true);
  });
});
