import type { SegmentKind } from './classify.js';
import { nameStem } from './singular.js';

/**
 * Parameter names from context: the literal segment before the parameter, singularised, plus a
 * suffix for what the values are (`orders` → `orderId`, `products` + slugs → `productSlug`).
 * Dates, e-mails and locales are named by what they are. Without a usable literal before it, a
 * parameter is `id` (or `slug`, `name`…); a name already used in the template gets `2`, `3`….
 */
const SUFFIX: Partial<Record<SegmentKind, string>> = {
  integer: 'Id', uuid: 'Id', hex: 'Id', objectid: 'Id', token: 'Id', code: 'Id',
  slug: 'Slug', word: 'Name', file: 'Name', other: 'Name',
};
const FALLBACK: Partial<Record<SegmentKind, string>> = {
  slug: 'slug', word: 'name', file: 'fileName', other: 'name', date: 'date', email: 'email', locale: 'locale',
};
const BY_KIND: Partial<Record<SegmentKind, string>> = { date: 'date', email: 'email', locale: 'locale' };

/**
 * `context` is the decoded literal segment before the parameter, or undefined when there is
 * none (the parameter follows the root, a version, a locale or another parameter).
 */
export function parameterName(context: string | undefined, kind: SegmentKind, used: ReadonlySet<string>): string {
  let base = BY_KIND[kind];
  if (!base) {
    const stem = context === undefined ? undefined : nameStem(context);
    const suffix = SUFFIX[kind] ?? 'Id';
    base = stem ? (stem.toLowerCase().endsWith(suffix.toLowerCase()) ? stem : stem + suffix) : (FALLBACK[kind] ?? 'id');
  }
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}${n}`)) return `${base}${n}`;
}
