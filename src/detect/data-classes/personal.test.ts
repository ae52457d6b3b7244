import { describe, expect, it } from 'vitest';
import { findDataClasses } from './find.js';
import type { DataClass } from './types.js';

const CONTEXTS: readonly (readonly [string, string])[] = [['', ''], ['see ', ' now'], ['"', '",'], ['(', ')'], ['x=', ';']];

/** `value` (or its `expected` part) is reported, exactly and as nothing else, in several contexts. */
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

describe('email', () => {
  it.each([
    'john.doe@example.com',
    'a@b.co',
    'first+tag@sub.example.co.uk',
    'user_name@example.io',
    'UPPER.CASE@EXAMPLE.COM',
    'test.email-with-dash@example.travel',
    '1234567890@example.com',
    'x@xn--80ak6aa92e.com',
    'o.k%percent@mail-server.example.org',
    'email@123.123.123.com',
    'admin@localhost.localdomain',
    'a.b.c.d@e-f.gh',
    'support@portcullis.dev',
    'n@example.museum',
    'git@github.com',
  ])('finds %s', (v) => expectFound(v, 'email'));

  it.each([
    ['mailto:jane@example.org', 'jane@example.org'],
    ['<jane@example.org>', 'jane@example.org'],
    ['write to jane@example.org.', 'jane@example.org'],
  ])('finds the address in %s', (v, e) => expectFound(v, 'email', e));

  it.each([
    '@types/node',
    'foo@bar',
    'user@localhost',
    'logo@2x.png',
    'icon@3x.svg',
    'react@18.2.0',
    'lodash@latest',
    'john..doe@example.com',
    '.john@example.com',
    'john.@example.com',
    'user@-example.com',
    'user@example-.com',
    'user@example.c',
    'user@.example.com',
    'user@example..com',
    'a@b@c.com',
    'user@192.168.0.1',
    'user@example.123',
    'name%40example.com',
    '@@@',
  ])('ignores %s', (v) => expectNotFound(v, 'email'));
});

describe('phone', () => {
  it.each([
    '+14155552671',
    '+1 415 555 2671',
    '+1 (415) 555-2671',
    '+1-415-555-2671',
    '+1.415.555.2671',
    '+44 20 7946 0958',
    '+44 (0)20 7946 0958',
    '+33 1 23 45 67 89',
    '+49 30 12345678',
    '+91 98765 43210',
    '+81 3-1234-5678',
    '+61 2 9876 5432',
    '+7 495 123-45-67',
    '+353 1 234 5678',
    '(415) 555-2671',
    '(555) 123-4567',
    '415-555-2671',
    '555-123-4567',
    '415.555.2671',
    '415 555 2671',
    '1-800-555-1234',
    '1 (800) 555-1234',
    '020 7946 0958',
    '0800 123 4567',
    '01 23 45 67 89',
    '(030) 1234567',
    '06-12345678',
    '03-1234-5678',
  ])('finds %s', (v) => expectFound(v, 'phone'));

  it.each([
    '1700000000', // epoch seconds
    '1700000000000',
    '4155552671', // bare digits
    '14155552671',
    '123456789012',
    '12345-6789', // zip+4
    '02134-1234',
    '2024-01-15',
    '01-02-2024',
    '2024-01-15T12:30:45Z',
    '12:30:45',
    '1,234.56',
    '1.2.3',
    '192.168.1.1',
    '978-3-16-148410-0', // ISBN
    '078-05-1120', // SSN shape
    '4111 1111 1111 1111',
    '+1234',
    '+1 415 555 26712', // +1 needs 11 digits
    '+0 123 456 7890', // no country code 0
    '+28 1234 5678', // unassigned country code
    '+1700000000',
    '100 200 3000', // space-separated: area code cannot start with 1
    '123e4567-e89b-12d3-a456-426614174000',
    'x415-555-2671',
    '415-555-2671-9',
    'ORD-100-200-3000', // joined to an identifier
    '415-555-2671-XL',
  ])('ignores %s', (v) => expectNotFound(v, 'phone'));

  it('does not take a phone out of a list of space-separated numbers', () => {
    expect(findDataClasses('counts: 100 200 300 4000 5000', new Set(['phone']))).toEqual([]);
  });

  it('separates dashed phones from neighbouring numbers by spaces', () => {
    const text = 'call 415-555-2671 2 times or +1-415-555-2672 +1-415-555-2673';
    expect(findDataClasses(text).map((m) => text.slice(m.start, m.end))).toEqual(['415-555-2671', '+1-415-555-2672', '+1-415-555-2673']);
  });
});

describe('national-id', () => {
  it.each([
    '078-05-1120',
    '219-09-9999',
    '123-45-6789',
    '001-01-0001',
    '665-12-3456',
    '667-01-0001',
    '899-99-9999',
    '078 05 1120',
    'AB123456C', // UK NINO
    'AB 12 34 56 C',
    'JG103759A',
    'CE123456D',
    'ZY987654A',
    '12345678Z', // Spanish DNI
    '87654321X',
    '45678912S',
    '12345678-Z',
    'X1234567L', // Spanish NIE
    'Y7654321G',
    'Z1111111D',
  ])('finds %s', (v) => expectFound(v, 'national-id'));

  it.each([
    ['SSN: 078051120', '078051120'],
    ['ssn=123456789', '123456789'],
    ['Social Security Number 219099999', '219099999'],
    ['BSN: 111222333', '111222333'],
    ['burgerservicenummer 123456782', '123456782'],
  ])('finds the bare number named in %s', (v, e) => expectFound(v, 'national-id', e));

  it.each([
    '000-12-3456', // area 000
    '666-12-3456', // area 666
    '900-12-3456', // 9xx (ITIN)
    '123-00-4567', // group 00
    '123-45-0000', // serial 0000
    '123-45 6789', // inconsistent separators
    '1234-56-789',
    '123-456-789',
    '12-345-6789',
    '123-45-67890',
    '0123-45-6789',
    '123-45-6789-0',
    '1.123-45-6789',
    '123-45-6789-XL', // a SKU
    'A-123-45-6789',
    '123456789', // bare, no context
    '111222333',
    'order 078051120',
    'BSN: 123456789', // fails the 11-test
    'SSN: 900123456',
    'DA123456C', // NINO: D never first
    'AO123456C', // O never second
    'GB123456A', // excluded prefixes
    'BG123456A',
    'NK123456A',
    'AB123456E', // suffix A–D
    'AB12345C',
    'AB1234567C',
    'xAB123456C',
    'AB 123456 C',
    '12345678A', // DNI with the wrong letter
    'X1234567A',
    '123456789Z',
    '2024-01-15',
  ])('ignores %s', (v) => expectNotFound(v, 'national-id'));
});

describe('ip-address', () => {
  it.each([
    '192.168.1.1',
    '10.0.0.1',
    '8.8.8.8',
    '255.255.255.255',
    '0.0.0.0',
    '172.16.254.1',
    '1.2.3.4',
    '100.64.0.1',
    '2001:db8::1',
    '2001:0db8:85a3:0000:0000:8a2e:0370:7334',
    'fe80::1ff:fe23:4567:890a',
    '::1',
    '::ffff:192.0.2.128',
    '2606:4700:4700::1111',
    '2001:db8:0:0:1:0:0:1',
  ])('finds %s', (v) => expectFound(v, 'ip-address'));

  it.each([
    ['203.0.113.195:8080', '203.0.113.195'],
    ['10.0.0.0/8', '10.0.0.0'],
    ['[2001:db8::1]:443', '2001:db8::1'],
    ['from 198.51.100.7.', '198.51.100.7'],
  ])('finds the address in %s', (v, e) => expectFound(v, 'ip-address', e));

  it.each([
    '1.2.3', // three parts: a version
    '1.2.3.4.5',
    '256.1.1.1',
    '1.2.3.256',
    '999.999.999.999',
    '01.02.03.04', // leading zeros
    '192.168.1',
    '1.2.3.4a',
    'v1.2.3.4',
    'version 1.2.3.4',
    'Version: 10.0.19041.1',
    'build 4.0.0.1',
    '"version":"1.2.3.4"', // raw JSON text
    'fw=2.1.0.7',
    '3.14159',
    '12:30:45',
    '00:1A:2B:3C:4D:5E', // MAC address
    '::',
    'std::vector',
    'A::B',
    '2024-01-15',
    '1,234.56',
  ])('ignores %s', (v) => expectNotFound(v, 'ip-address'));
});
