import { describe, expect, it } from 'vitest';
import { findDataClasses } from './find.js';
import type { DataClass } from './types.js';

const CONTEXTS: readonly (readonly [string, string])[] = [['', ''], ['see ', ' now'], ['"', '",'], ['(', ')'], ['x=', ';']];

/** `value` is reported, exactly and as nothing else, alone and inside prose or punctuation. */
function expectFound(value: string, cls: DataClass): void {
  for (const [pre, post] of CONTEXTS) {
    const text = pre + value + post;
    expect(findDataClasses(text).map((m) => [m.cls, text.slice(m.start, m.end)]), text).toEqual([[cls, value]]);
  }
}

function expectNotFound(value: string, cls: DataClass): void {
  for (const [pre, post] of CONTEXTS) {
    expect(findDataClasses(pre + value + post, new Set([cls])), pre + value + post).toEqual([]);
  }
}

describe('payment-card', () => {
  it.each([
    '4111111111111111', // Visa
    '4012888888881881',
    '4222222222222', // Visa, 13 digits
    '4000000000000000006', // Visa, 19 digits
    '5555555555554444', // Mastercard
    '5105105105105100',
    '2223003122003222', // Mastercard 2-series
    '378282246310005', // Amex
    '371449635398431',
    '6011111111111117', // Discover
    '6011000990139424',
    '3530111333300000', // JCB
    '3566002020360505',
    '30569309025904', // Diners, 14 digits
    '38520000023237',
    '6200000000000005', // UnionPay
    '6759649826438453', // Maestro
    '2200000000000004', // Mir
    '4111 1111 1111 1111',
    '4111-1111-1111-1111',
    '3782 822463 10005', // Amex 4-6-5
    '3056 930902 5904', // Diners 4-6-4
    '4000 0000 0000 0000 006', // 4-4-4-4-3
  ])('finds %s', (v) => expectFound(v, 'payment-card'));

  it.each([
    '4111111111111112', // Luhn fails
    '4000000000000001',
    '41111111111111110000', // 20 digits: no card inside
    '4111111111111111111111',
    '1700000000000', // epoch milliseconds
    '9780306406157', // ISBN-13
    '8000000000000001', // no issuer starts with 8
    '3782822463100050', // Amex prefix, wrong length
    '55555555555544441', // Mastercard prefix, 17 digits
    '0.4111111111111111', // a float's fraction
    '4111111111111111.50',
    'x4111111111111111y', // part of an identifier
    'ord4111111111111111',
    '4111 1111-1111 1111', // mixed separators
    '4111 11111111 1111', // not a card grouping
    '41 11 11 11 11 11 11 11',
    '4111_1111_1111_1111',
    '123e4567-e89b-12d3-a456-426614174000', // UUID
    'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3', // git SHA
    '1,234,567,890,123.45', // price
    '2024-01-15T12:30:45.123456789Z',
  ])('ignores %s', (v) => expectNotFound(v, 'payment-card'));

  it('finds a grouped card followed by its expiry and a bare card next to a CVV', () => {
    const text = 'card 4111 1111 1111 1111 12/27, or 5555555555554444 123';
    expect(findDataClasses(text).map((m) => text.slice(m.start, m.end))).toEqual(['4111 1111 1111 1111', '5555555555554444']);
  });

  it('finds two cards in one run of groups', () => {
    const text = '4111 1111 1111 1111 5555 5555 5555 4444';
    expect(findDataClasses(text).map((m) => text.slice(m.start, m.end))).toEqual(['4111 1111 1111 1111', '5555 5555 5555 4444']);
  });
});

describe('iban', () => {
  it.each([
    'DE89370400440532013000',
    'GB82WEST12345698765432',
    'GB29NWBK60161331926819',
    'FR1420041010050500013M02606',
    'ES9121000418450200051332',
    'IT60X0542811101000000123456',
    'NL91ABNA0417164300',
    'BE68539007547034',
    'CH9300762011623852957',
    'AT611904300234573201',
    'PL61109010140000071219812874',
    'NO9386011117947', // shortest (15)
    'MT84MALT011000012345MTLCAST001S',
    'BR9700360305000010009795493P1',
    'RU0204452560040702810412345678901', // longest (33)
    'SA0380000000608010167519',
    'DE89 3704 0044 0532 0130 00',
    'GB82 WEST 1234 5698 7654 32',
    'FR14 2004 1010 0505 0001 3M02 606',
    'BE68 5390 0754 7034',
  ])('finds %s', (v) => expectFound(v, 'iban'));

  it.each([
    'DE89370400440532013001', // MOD 97 fails
    'GB00WEST12345698765432',
    'NO9386011117948',
    'DE8937040044053201300', // one character short for DE
    'DE893704004405320130000', // one too many
    'XX89370400440532013000', // no such country
    'AB12CDEF12345678',
    'de89370400440532013000', // lower case
    'XDE89370400440532013000', // inside a longer token
    'DE89370400440532013000X',
    'DE89 3704 0044 0532 013000', // groups not of four
    'DE89 37040044 0532013000',
    'DE89-3704-0044-0532-0130-00',
    '123e4567-e89b-12d3-a456-426614174000',
    'ORDER2024000012345678',
  ])('ignores %s', (v) => expectNotFound(v, 'iban'));

  it('stops a grouped IBAN at its registered length', () => {
    const text = 'pay BE68 5390 0754 7034 SENT';
    expect(findDataClasses(text).map((m) => text.slice(m.start, m.end))).toEqual(['BE68 5390 0754 7034']);
  });
});
