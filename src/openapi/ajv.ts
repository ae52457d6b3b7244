import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { RE2JS } from 're2js';
import { isLinearTimePattern } from './linear-pattern.js';
import { READ_ONLY_KEYWORD } from './schema-views.js';

// ajv-formats is CommonJS with a default export; under NodeNext its type is the module namespace.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/**
 * Schema `pattern`s come from specs we do not control, so none may backtrack catastrophically.
 * Patterns proven unambiguous (linear-pattern.ts: the common anchored, flat ones) run on V8's
 * engine; every other one runs on RE2 (linear time, ~15x slower per test). Patterns RE2 cannot
 * express either (lookaround, backreferences) are refused when the spec loads, never at
 * request time.
 */
function safeRegExp(pattern: string, flags: string): { test: (s: string) => boolean } {
  if (!flags.includes('i') && isLinearTimePattern(pattern)) return new RegExp(pattern, 'u');
  const re = RE2JS.compile(pattern, flags.includes('i') ? RE2JS.CASE_INSENSITIVE : 0);
  return { test: (s: string) => re.test(s) };
}
safeRegExp.code = 'portcullis-safe-regexp';

/** `coerce`: form and multipart bodies arrive as text, so their validators coerce types as the schema says. */
export function createAjv(opts: { coerce?: boolean } = {}): Ajv2020 {
  const ajv = new Ajv2020({
    strict: false,
    allErrors: false,
    coerceTypes: opts.coerce ? 'array' : false,
    useDefaults: false,
    $data: false,
    validateSchema: false,
    discriminator: false,
    unicodeRegExp: true,
    code: { regExp: safeRegExp as never },
  });
  addFormats(ajv);
  ajv.addKeyword({
    keyword: READ_ONLY_KEYWORD,
    schemaType: 'boolean',
    errors: true,
    validate: function readOnly(this: unknown, schema: boolean) {
      const fn = readOnly as unknown as { errors: { message: string; keyword: string; params: object }[] };
      fn.errors = [{ keyword: READ_ONLY_KEYWORD, message: 'is read-only and must not be sent', params: {} }];
      return !schema;
    },
  });
  return ajv;
}
