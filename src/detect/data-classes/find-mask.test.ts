import { describe, expect, it } from 'vitest';
import { findDataClasses, scanText } from './find.js';
import { maskText, maskValue } from './mask.js';
import { DATA_CLASSES, type DataClass } from './types.js';

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';

describe('findDataClasses', () => {
  const text = `user jane@example.org paid with 4111 1111 1111 1111 from 10.0.0.7, call +1 415 555 2671, token ${JWT}`;

  it('reports every class found, left to right, without overlaps', () => {
    const found = findDataClasses(text);
    expect(found.map((m) => m.cls)).toEqual(['email', 'payment-card', 'ip-address', 'phone', 'jwt']);
    for (let i = 1; i < found.length; i++) expect(found[i]!.start).toBeGreaterThanOrEqual(found[i - 1]!.end);
  });

  it('looks only for the classes asked for', () => {
    expect(findDataClasses(text, new Set<DataClass>(['phone', 'email'])).map((m) => m.cls)).toEqual(['email', 'phone']);
    expect(findDataClasses(text, new Set())).toEqual([]);
  });

  it('reports the enclosing value when two classes overlap', () => {
    const t = 'mail 4111111111111111@example.com';
    expect(findDataClasses(t)).toEqual([{ cls: 'email', start: 5, end: t.length }]);
    // Asked for cards only, the digits are a card on their own.
    expect(findDataClasses(t, new Set(['payment-card']))).toEqual([{ cls: 'payment-card', start: 5, end: 21 }]);
  });

  it('keeps the uncovered tail of a match that overlaps an earlier one', () => {
    // The email's local part starts inside the hash; masking both must leave nothing of either.
    const hash = `$2b$12$${'a'.repeat(53)}`;
    const t = `${hash}@example.com`;
    const found = findDataClasses(t);
    expect(found).toEqual([
      { cls: 'password-hash', start: 0, end: hash.length },
      { cls: 'email', start: hash.length, end: t.length },
    ]);
    expect(maskText(t, found)).toBe('[password-hash][email]');
  });

  it('reports an IPv4-mapped IPv6 address once', () => {
    expect(findDataClasses('peer ::ffff:192.0.2.128 up')).toEqual([{ cls: 'ip-address', start: 5, end: 23 }]);
  });

  it('finds nothing in ordinary API data', () => {
    const benign = [
      '{"id":"123e4567-e89b-12d3-a456-426614174000","created":"2024-01-15T12:30:45.123Z","count":1700000000}',
      'order 100234567 shipped; zip 12345-6789; total 1,234.56 USD; version 1.2.3; sha a94a8fe5ccb19ba61c4c0873d391e987982fbbd3',
      'ETag: "5d41402abc4b2a76b9719d911017c592"; image logo@2x.png; npm i react@18.2.0 @types/node',
      'score 0.7234567890123456, ratio 3.14159, ids 4155552671 14155552671 123456789',
      'aGVsbG8gd29ybGQgdGhpcyBpcyBhIGJhc2U2NCBibG9iIHdpdGggMTIzNDU2Nzg5MDEyMzQ1Ng==',
      'The quick brown fox: Foo::Bar, std::vector<int>, 12:30:45, MAC 00:1A:2B:3C:4D:5E',
      'ISBN 978-3-16-148410-0, date 01-02-2024, build 10.0.19041.1, $2.50 each',
    ];
    for (const t of benign) expect(findDataClasses(t), t).toEqual([]);
  });
});

describe('scanText limits', () => {
  it('stops at maxMatches and says the result is truncated', () => {
    const text = Array.from({ length: 30 }, (_, i) => `u${i}@example.com`).join(' ');
    const capped = scanText(text, { maxMatches: 10 });
    expect(capped.matches).toHaveLength(10);
    expect(capped.truncated).toBe(true);
    const full = scanText(text, { maxMatches: 30 });
    expect(full.matches).toHaveLength(30);
    expect(full.truncated).toBe(false);
  });
});

describe('maskValue / maskText', () => {
  it('keeps only the last four digits of a card, and its separators', () => {
    expect(maskValue('payment-card', '4111111111111111')).toBe('************1111');
    expect(maskValue('payment-card', '4111 1111 1111 1234')).toBe('**** **** **** 1234');
    expect(maskValue('payment-card', '3782-822463-10005')).toBe('****-******-*0005');
  });

  it.each(DATA_CLASSES.filter((c) => c !== 'payment-card'))('masks %s completely, without its length', (cls) => {
    expect(maskValue(cls, 'short')).toBe(`[${cls}]`);
    expect(maskValue(cls, 'a much longer secret value')).toBe(`[${cls}]`);
  });

  it('masks every match in a text and keeps the rest', () => {
    const text = 'to jane@example.org, card 4111 1111 1111 1111, ip 10.0.0.7.';
    expect(maskText(text, findDataClasses(text))).toBe('to [email], card **** **** **** 1111, ip [ip-address].');
  });

  it('leaves a text without matches unchanged', () => {
    expect(maskText('nothing here', [])).toBe('nothing here');
  });

  it('masks unsorted and overlapping matches without leaving any of them in clear', () => {
    const text = 'aaaa bbbb cccc';
    const out = maskText(text, [
      { cls: 'email', start: 5, end: 9 },
      { cls: 'jwt', start: 0, end: 7 },
    ]);
    expect(out).toBe('[jwt][email] cccc');
  });
});
