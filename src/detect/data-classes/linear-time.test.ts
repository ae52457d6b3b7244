import { describe, expect, it } from 'vitest';
import { scanText } from './find.js';
import { maskJsonValue } from './scan-json.js';

const MB = 1 << 20;

/** Repeats `unit` to about one megabyte. */
function mb(unit: string): string {
  return unit.repeat(Math.ceil(MB / unit.length));
}

/**
 * Inputs shaped to make a backtracking pattern or a naive re-scan blow up: long runs of one
 * class's characters, prefixes that never complete, many near-misses.
 */
const ADVERSARIAL: Record<string, string> = {
  digits: mb('1'),
  'digit groups': mb('4111 '),
  'dashed groups': mb('123-'),
  'phone characters': mb('+1 (2) 3-4.'),
  'spaced pairs': mb('12 '),
  dots: mb('1.'),
  'hex and colons': mb('a:1:'),
  'hex run': mb('deadbeef'),
  'at signs': mb('a@'),
  'local part': mb('a.b_c'),
  'domain run': '@' + mb('a.b-'),
  'jwt starts': mb('eyJ'),
  'jwt segments': mb('eyJhbGc.'),
  'pem begins': mb('-----BEGIN PRIVATE KEY-----'),
  'pem body': '-----BEGIN PRIVATE KEY-----\n' + mb('QUJD\n'),
  'bcrypt prefixes': mb('$2b$12$abc'),
  dollars: mb('$'),
  'argon prefixes': mb('$argon2id$v=19$m=1,t=1,p=1$'),
  'aws prefixes': mb('AKIAAKIA'),
  'github prefixes': mb('ghp_ghp_'),
  'iban-like': mb('DE89 '),
  'upper and digits': mb('AB12'),
  'nino-like': mb('AB 12 '),
  'ssn-like': mb('123-45-'),
  'secret names': mb('aws_secret_access_key='),
  'ssn keyword': mb('SSN 12345678 '),
  words: mb('lorem ipsum dolor sit amet, consectetur 2024-01-15 v1.2.3 '),
};

describe('linear time on 1 MB adversarial text', () => {
  it.each(Object.entries(ADVERSARIAL))('%s', (_name, text) => {
    const t0 = performance.now();
    const r = scanText(text, { maxMatches: 1000 });
    const ms = performance.now() - t0;
    // A quadratic blow-up on 1 MB takes minutes; linear scans take tens of milliseconds.
    expect(ms).toBeLessThan(3000);
    expect(r.matches.length).toBeLessThanOrEqual(1000);
  });

  it('scales linearly: 4x the input costs well under 16x the time', () => {
    const unit = '+1 (2) 3-4. 4111 1111 a@b. eyJ. $2b$ ';
    const time = (n: number) => {
      const text = unit.repeat(n);
      const t0 = performance.now();
      scanText(text);
      return performance.now() - t0;
    };
    time(2000); // warm-up
    const small = Math.max(time(8000), 1);
    const large = time(32000);
    expect(large / small).toBeLessThan(12);
  });

  it('reports truncation when a text holds more matches than the cap', () => {
    const r = scanText(mb('jane@example.org '), { maxMatches: 1000 });
    expect(r.matches).toHaveLength(1000);
    expect(r.truncated).toBe(true);
  });

  it('masks a 100 000-node document', () => {
    const doc = Array.from({ length: 25_000 }, (_, i) => ({ id: i, email: `u${i}@example.org`, note: 'ok' }));
    const t0 = performance.now();
    const r = maskJsonValue(doc, { maxNodes: 200_000 });
    expect(performance.now() - t0).toBeLessThan(5000);
    expect((r.value as { email: string }[])[24_999]!.email).toBe('[email]');
    expect(r.truncated).toBe(false);
  });
});
