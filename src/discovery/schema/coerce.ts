/**
 * What a wire string reads as, as OpenAPI parameter coercion reads it (ajv `coerceTypes`):
 * `true`/`false` → boolean, a decimal integer → integer, a decimal number → number, else string.
 *
 * Stricter than `Number()` on purpose: `007` stays a string (the leading zeros are the value:
 * postcodes, account numbers), as do `0x1f`, `.5`, `''` and integers beyond 2^53, whose digits
 * a number would not keep.
 */
const INTEGER = /^-?(?:0|[1-9]\d{0,19})$/;
const NUMBER = /^-?(?:0|[1-9]\d{0,19})(?:\.\d{1,20})?(?:[eE][+-]?\d{1,3})?$/;

export function coerceParameter(raw: string): string | number | boolean {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (INTEGER.test(raw)) {
    const n = Number(raw);
    return Number.isSafeInteger(n) ? n : raw;
  }
  if (NUMBER.test(raw)) {
    const n = Number(raw);
    if (Number.isFinite(n)) return n;
  }
  return raw;
}
