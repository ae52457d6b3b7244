import type { Detection, Detector } from '../types.js';

/**
 * Prototype pollution through keys. Merge, `set(obj, path, v)` and query-string parsers (qs,
 * lodash, jQuery.extend …) walk a member name or a bracket/dotted path into an object; a segment
 * `__proto__`, or `constructor` followed by `prototype`, walks into Object.prototype and changes
 * every object in the process. The gateway calls detect() on JSON member names, query parameter
 * names (and their bracket parts) and query-string-like values; `pollutesObject` walks a parsed
 * JSON body for the same shapes.
 *
 * Only the JavaScript spelling counts: property names are case-sensitive, so `__PROTO__` or a
 * `proto` field is harmless, and a mention in prose (`the __proto__ accessor`) walks nothing.
 */
export const SCAN_LIMIT = 4096;

/** `__proto__` as a whole name, not part of a longer identifier. */
const PROTO = /(?<![\w$])__proto__(?![\w$])/g;
/** Characters that put a name into a path, a query string or a JSON member (`a[__proto__]`, `&__proto__.x=`, `"__proto__":`). */
const PATH_CHARS = new Set(['[', ']', '.', '"', "'", '`', '&', '?', '=', '/', '{', '}', ',', ':', ';', '#']);
/** `constructor[prototype]`, `constructor.prototype`, `["constructor"]["prototype"]`, `constructor][prototype`. */
const CONSTRUCTOR_PATH = /(?<![\w$])constructor['"`]?\s*(?:\]\s*)?(?:\.|\[)\s*['"`]?prototype(?![\w$])/;
/** `{"constructor": {"prototype": {…}}}` inside a string: `prototype` as a member of the constructor's object. */
const CONSTRUCTOR_JSON = /["']constructor["']\s*:\s*\{[^{}]*["']prototype["']\s*:/;
/** `x[prototype][polluted]`: a bracket path through a `prototype` segment. */
const PROTOTYPE_BRACKET = /\[\s*['"]?prototype['"]?\s*\]\s*[[.]/;

export const protoPollution: Detector = {
  id: 'prototype-pollution',
  detect(value: string): Detection | undefined {
    if (value.length <= SCAN_LIMIT) return detectWindow(value);
    return detectWindow(value.slice(0, SCAN_LIMIT)) ?? detectWindow(value.slice(value.length - SCAN_LIMIT));
  },
};

function detectWindow(v: string): Detection | undefined {
  if (!v.includes('proto')) return undefined; // `__proto__` and `prototype` both contain it
  const proto = protoInPath(v);
  if (proto !== undefined) return hit(0.95, 'proto-key', v.slice(Math.max(0, proto - 16), proto + 25));
  const ctor = CONSTRUCTOR_PATH.exec(v) ?? CONSTRUCTOR_JSON.exec(v);
  if (ctor) return hit(0.9, 'constructor-prototype', ctor[0]);
  const bracket = PROTOTYPE_BRACKET.exec(v);
  if (bracket) return hit(0.6, 'prototype-path', bracket[0]);
  return undefined;
}

/** Index of a `__proto__` that is the whole value or touches path syntax on either side; prose mentions are skipped. */
function protoInPath(v: string): number | undefined {
  PROTO.lastIndex = 0;
  for (let m = PROTO.exec(v); m; m = PROTO.exec(v)) {
    const before = m.index === 0 ? '' : v[m.index - 1]!;
    const after = v[m.index + 9] ?? '';
    if (before === '' || after === '' || PATH_CHARS.has(before) || PATH_CHARS.has(after)) return m.index;
  }
  return undefined;
}

function hit(confidence: number, reason: string, fragment: string): Detection {
  return { detector: 'prototype-pollution', confidence, reason, fragment: fragment.slice(0, 64) };
}

/**
 * A JSON member name on its own: `__proto__`, or a path-shaped name a path-setting merge would
 * walk (`__proto__.isAdmin`, `a[__proto__]`, `constructor.prototype`). A bare `constructor` is
 * only dangerous when its value holds `prototype`: use pollutesObject for that.
 */
export function isPollutionKey(key: string): boolean {
  if (key === '__proto__') return true;
  if (key === 'constructor' || !key.includes('proto')) return false;
  const d = detectWindow(key.length > SCAN_LIMIT ? key.slice(0, SCAN_LIMIT) : key);
  return d !== undefined && d.confidence >= 0.9;
}

interface Node {
  value: unknown;
  parent: number;
  key: string;
}

/**
 * Walks a parsed JSON value (JSON.parse keeps `__proto__` as an own member) and returns the path
 * of the first polluting member: `__proto__` anywhere, a path-shaped pollution key, or a
 * `constructor` whose value is an object with a `prototype` member. Visits at most maxNodes
 * members and elements, so a huge body costs a bounded amount; beyond that it answers undefined.
 */
export function pollutesObject(value: unknown, maxNodes = 10000): { path: string } | undefined {
  const nodes: Node[] = [{ value, parent: -1, key: '' }];
  const todo: number[] = [0];
  let budget = maxNodes;
  while (todo.length > 0) {
    const at = todo.pop()!;
    const v = nodes[at]!.value;
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        if (--budget < 0) return undefined;
        todo.push(nodes.push({ value: v[i], parent: at, key: `[${i}]` }) - 1);
      }
      continue;
    }
    const obj = v as Record<string, unknown>;
    for (const k in obj) {
      if (!Object.prototype.hasOwnProperty.call(obj, k)) continue;
      if (--budget < 0) return undefined;
      const child = nodes.push({ value: obj[k], parent: at, key: `.${k}` }) - 1;
      if (isPollutionKey(k)) return { path: pathOf(nodes, child) };
      const member = obj[k];
      if (k === 'constructor' && member !== null && typeof member === 'object' && Object.prototype.hasOwnProperty.call(member, 'prototype')) {
        return { path: `${pathOf(nodes, child)}.prototype` };
      }
      todo.push(child);
    }
  }
  return undefined;
}

/** `$.a[0].__proto__`: built only for the finding, from parent links. */
function pathOf(nodes: Node[], at: number): string {
  const parts: string[] = [];
  for (let i = at; i > 0; i = nodes[i]!.parent) parts.push(nodes[i]!.key);
  return `$${parts.reverse().join('')}`;
}
