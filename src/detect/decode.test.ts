import { describe, expect, it } from 'vitest';
import { decodeEntities, decodeEscapes, decodeVariants, MAX_VARIANT_LENGTH, percentDecode } from './decode.js';
import { percentDecodeByRegex } from '../../test/helpers/decode-reference.js';
import { seededRandom } from '../../test/helpers/seeded.js';

describe('decoding before detection', () => {
  it('undoes up to three levels of URL encoding, %u, entities and escapes', () => {
    expect(decodeVariants('%2527%2520OR%25201%253D1')).toContain("' OR 1=1");
    expect(percentDecode('%u003cscript%u003e')).toBe('<script>');
    expect(decodeEntities('&lt;img src=x onerror&#x3d;alert&#40;1&#41;&gt;')).toBe('<img src=x onerror=alert(1)>');
    expect(decodeEntities('&#106&#97&#118&#97script:')).toBe('javascript:');
    expect(decodeEscapes('\\u003csvg\\x20onload=\\u{61}lert(1)>')).toBe('<svg onload=alert(1)>');
  });

  it('reads HTML5 names for punctuation, zero-padded references, and entities behind escapes', () => {
    expect(decodeEntities('$&lbrace;x&rbrace; &dollar;&LBRACE;y}')).toBe('${x} ${y}');
    expect(decodeEntities('&#00000000000000000060;b&#x00003e;')).toBe('<b>');
    expect(decodeVariants('$\\u0026lbrace;jndi:ldap://x}')).toContain('${jndi:ldap://x}');
  });

  it('keeps malformed sequences and benign text as they are, and bounds the work', () => {
    expect(percentDecode('100%25 sure, 50% off')).toBe('100% sure, 50% off');
    // Broken UTF-8 is read byte by byte (as PHP's urldecode would hand it on), the stray % kept.
    expect(percentDecode('%E0%A4%A')).toBe('\u00e0\u00a4%A');
    expect(decodeVariants('plain text')).toEqual(['plain text']);
    expect(decodeEntities('AT&T and &bogus;')).toBe('AT&T and &bogus;');
    const long = 'a'.repeat(1_000_000);
    expect(decodeVariants(long).every((v) => v.length <= MAX_VARIANT_LENGTH)).toBe(true);
  });

  it('percent-decodes exactly as the regex reading does (seeded: runs, %u, broken and overlong UTF-8, stray %)', () => {
    const pieces = ['%', '%%', '%2', '%25', '%41', '%7e', '%7E', '%3D', '%26', '%u', '%U', '%u0041', '%U00e9', '%ud83d', '%u12G4', '%uFFFF',
      '%C3%A9', '%c3', '%A9', '%E2%82%AC', '%E2%82', '%F0%9F%98%80', '%ED%A0%80', '%C0%AF', '%C1%9C', '%FF', '%80', '%00', '%0a',
      'a', 'Z', '9', 'f', 'g', 'u', ' ', '+', '&', '=', 'é', '\ud83d'];
    const rand = seededRandom(42);
    for (let n = 0; n < 30_000; n++) {
      let s = '';
      const len = rand(12);
      for (let k = 0; k < len; k++) s += pieces[rand(pieces.length)];
      expect(percentDecode(s), JSON.stringify(s)).toBe(percentDecodeByRegex(s));
    }
  });
});
