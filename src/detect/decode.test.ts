import { describe, expect, it } from 'vitest';
import { decodeEntities, decodeEscapes, decodeVariants, MAX_VARIANT_LENGTH, percentDecode } from './decode.js';

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
});
