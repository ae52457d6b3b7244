import { describe, expect, it } from 'vitest';
import { bsnValid, ibanMod97Valid, luhnValid, spanishIdValid } from './checksums.js';

describe('luhnValid', () => {
  it.each(['4111111111111111', '378282246310005', '6011111111111117', '30569309025904', '4222222222222', '79927398713'])(
    'accepts %s', (d) => expect(luhnValid(d)).toBe(true));
  it.each(['4111111111111112', '378282246310006', '79927398710', '12', '', '4111-1111', '41111111111111111111'])(
    'rejects %s', (d) => expect(luhnValid(d)).toBe(false));
});

describe('ibanMod97Valid', () => {
  it.each(['DE89370400440532013000', 'GB82WEST12345698765432', 'MT84MALT011000012345MTLCAST001S', 'NO9386011117947'])(
    'accepts %s', (s) => expect(ibanMod97Valid(s)).toBe(true));
  it.each(['DE89370400440532013001', 'DE98370400440532013000', 'GB82WEST12345698765433', 'de89370400440532013000', 'DE89'])(
    'rejects %s', (s) => expect(ibanMod97Valid(s)).toBe(false));
});

describe('bsnValid (11-test)', () => {
  it.each(['111222333', '123456782', '999999990', '010000008'])('accepts %s', (s) => expect(bsnValid(s)).toBe(true));
  it.each(['123456789', '876543210', '000000000', '11122233', '1112223333'])('rejects %s', (s) => expect(bsnValid(s)).toBe(false));
});

describe('spanishIdValid (mod 23 letter)', () => {
  it.each(['12345678Z', '87654321X', '11111111H', 'X1234567L', 'Y7654321G', 'Z1111111D'])(
    'accepts %s', (s) => expect(spanishIdValid(s)).toBe(true));
  it.each(['12345678A', '87654321Z', 'X1234567A', 'X12345678Z', '1234567Z', 'W1234567L'])(
    'rejects %s', (s) => expect(spanishIdValid(s)).toBe(false));
});
