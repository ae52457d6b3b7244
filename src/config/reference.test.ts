import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderConfigReference } from './reference.js';

describe('docs/configuration.md', () => {
  it('is the reference rendered from the config schema (run `npm run docs:config` after changing it)', () => {
    const onDisk = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    expect(onDisk).toBe(renderConfigReference());
  });

  it('lists every limit with its default', () => {
    const text = renderConfigReference();
    expect(text).toContain('| `limits.bodyBytes` | integer | `1048576` |');
    expect(text).toContain('| `upstreams[].url` | string |');
    expect(text).toContain('| `operations.<name>.bodyBytes` |');
  });
});
