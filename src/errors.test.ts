import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, PortcullisError } from './errors.js';

const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');

describe('error code table', () => {
  it('documents every code in docs/errors.md, with its exit code', () => {
    for (const [code, spec] of Object.entries(ERROR_CODES)) {
      expect(doc, code).toMatch(new RegExp(`\\| \`${code}\` \\| ${spec.exitCode} \\|`));
    }
  });

  it('documents no code that does not exist', () => {
    const documented = [...doc.matchAll(/`(PC_ERR_[A-Z_]+)`/g)].map((m) => m[1]);
    for (const code of documented) expect(Object.keys(ERROR_CODES)).toContain(code);
  });

  it('carries the exit code of its table entry', () => {
    expect(new PortcullisError('PC_ERR_CONFIG_INVALID', 'x').exitCode).toBe(2);
    expect(new PortcullisError('PC_ERR_LISTEN', 'x').exitCode).toBe(3);
  });
});
