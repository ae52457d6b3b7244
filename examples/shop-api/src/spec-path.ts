import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of openapi.yaml, found by walking up from this file (works from the sources and from dist/). */
export function shopApiSpecPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'examples', 'shop-api', 'openapi.yaml');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('examples/shop-api/openapi.yaml not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}
