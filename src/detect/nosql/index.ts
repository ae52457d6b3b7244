import type { Detection, Detector } from '../types.js';

/**
 * NoSQL operator injection (MongoDB and its look-alikes): a query operator where the API
 * expects a plain value. Operators are a closed grammar (the query language's own keywords),
 * so the detector knows them by name; what it looks for is one of them in a position a plain
 * value never takes:
 *   - a member or parameter name that is an operator (`{"$ne": 1}` → key `$ne`; `user[$ne]=`);
 *   - an object literal with an operator key inside a string (`{"$gt": ""}` sent to an API that
 *     parses JSON out of a query value);
 *   - server-side JavaScript breakouts into `$where` (`'; return true; var x='`, `this.password.match(`,
 *     a `|| 1==1` tautology appended to the expression, `'; t = new Date(); …` statements after the
 *     quote, a busy `do { … } while (…)` loop).
 */
const OPERATORS = new Set([
  'ne', 'eq', 'gt', 'gte', 'lt', 'lte', 'in', 'nin', 'exists', 'regex', 'where', 'expr', 'or', 'and', 'nor', 'not',
  'elemmatch', 'all', 'size', 'type', 'mod', 'text', 'jsonschema', 'function', 'accumulator', 'lookup', 'comment',
]);

/** `$ne`, or `[$ne]` / `[$ne][...]` as PHP/Express bracket syntax appends it to a parameter name. */
const KEY = /^\$([a-z]+)$|\[\$([a-z]+)\]/i;
/** `{ $ne: 1 }`, `{"$gt": ""}`, `, $where: '…'`: an operator used as an object member. */
const MEMBER = /(?:^|[{,]\s*)["']?\$([a-z]+)["']?\s*:/i;
/** JavaScript that only means something inside `$where` or mapReduce. */
const SERVER_JS = /\bthis\.[a-z_$][\w$]*\s*(?:\.\s*match\s*\(|[=!]==?)|['"\d]\s*;\s*return\b[\s('"]|\bdb\.[a-z_$][\w$]*\.(?:insert|find|mapReduce|drop)\s*\(|\bsleep\s*\(\s*\d{3,}\s*\)|\bdo\s*\{[^}]{0,256}\}\s*while\s*\(|['"]\s*;\s*[a-z_$][\w$]*\s*=\s*new\s+[a-z_$][\w$]*\(|(?:\|\||&&)\s*(?:\d+|'\w*'|"\w*"|true)\s*===?\s*(?:\d|['"]|true\b)/i;

/** What SERVER_JS needs besides a `;`: `this.`, `db.`, `sleep`, `while` or a JavaScript `==`, in any case. */
const JS_HINT = /this\.|db\.|sleep|==|while/i;

export const nosql: Detector = {
  id: 'nosql',
  detect(value: string): Detection | undefined {
    const v = value.length > 4096 ? value.slice(0, 4096) : value;
    // Operators are spelled with `$`; without one only the server-side JavaScript shapes remain.
    if (!v.includes('$')) return v.includes(';') || JS_HINT.test(v) ? serverJs(v) : undefined;
    const key = KEY.exec(v);
    const op = key ? (key[1] ?? key[2])!.toLowerCase() : undefined;
    if (key && op !== undefined && OPERATORS.has(op)) return hit(0.9, 'operator-key', key[0]);
    const member = MEMBER.exec(v);
    // Inside `{…}`, not `(…)`: GraphQL declares variables as `($type: String, $limit: Int)`.
    if (member && OPERATORS.has(member[1]!.toLowerCase()) && v.lastIndexOf('{', member.index + 1) >= v.lastIndexOf('(', member.index + 1)) {
      return hit(0.85, 'operator-object', member[0].trim());
    }
    return serverJs(v);
  },
};

function serverJs(v: string): Detection | undefined {
  const js = SERVER_JS.exec(v);
  return js ? hit(0.75, 'server-side-js', js[0]) : undefined;
}

function hit(confidence: number, reason: string, fragment: string): Detection {
  return { detector: 'nosql', confidence, reason, fragment: fragment.slice(0, 64) };
}
