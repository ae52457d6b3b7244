import { RE2JS } from 're2js';
import { PortcullisError } from '../errors.js';
import { isLinearTimePattern } from './linear-pattern.js';
import { resolvePointer, type JsonObject } from './load.js';

/**
 * Response property filtering (OWASP API3, excessive data exposure).
 *
 * A response schema is compiled once, at load time, into a graph of small filter nodes (a Map
 * of declared keys, role gates, child nodes); filtering a parsed JSON value is then a plain
 * walk of the value along that graph. Removed from objects:
 *   - keys the schema does not declare, where it describes the object (`properties`,
 *     `patternProperties` or `additionalProperties: false`). `additionalProperties: true`
 *     or a schema declares extra keys allowed: they are kept (and filtered inside);
 *   - `writeOnly: true` properties, and properties whose schema is `false`;
 *   - `x-portcullis-read-roles: [r, …]` properties when the caller holds none of the roles.
 *
 * Composition: `$ref` (with its siblings) and `allOf` members are merged: the union of
 * their declared keys is declared. `oneOf`/`anyOf` keep the union of all alternatives'
 * declarations, because which branch matched is the validator's business, not ours. That is
 * conservative: a key declared by any alternative is kept even when the branch the value
 * really matches would drop it, and an alternative with no object information keeps every
 * key. Marks (writeOnly, read roles) are sticky: a mark from any member or alternative
 * applies, so an explicit "do not show" is never lost to a union.
 *
 * Values whose type the schema does not describe (a string where an object is expected, an
 * object under `type: string`) are left untouched: validation is someone else's job.
 * Marks are honoured on object members only; array elements are never removed (that would
 * renumber the array).
 */

export interface FilterResult {
  /** The filtered value: the input itself when nothing was stripped. `undefined` when truncated. */
  value: unknown;
  /** JSON pointers of the first {@link MAX_PATHS} stripped members, e.g. `/items/0/passwordHash`. */
  stripped: string[];
  /** Why each of `stripped` went: not declared, never visible (writeOnly/readOnly/false), or a role gate. */
  reasons: StripReason[];
  strippedCount: number;
  /** The value exceeded maxNodes or maxDepth: it was not (fully) filtered and must not be sent. */
  truncated?: true;
}

export type ResponseFilter = ((value: unknown, roles: readonly string[]) => FilterResult) & {
  /** Some member is gated by roles (so the answer depends on who asks); false: only by the schema. */
  readonly roleGated: boolean;
};
export type StripReason = 'undeclared' | 'hidden' | 'role';

export interface ResponseFilterOptions {
  /** Object members and array elements examined per call before giving up (default 100 000). */
  maxNodes?: number;
  /** Nesting depth examined per call before giving up (default 512); bounds the recursion. */
  maxDepth?: number;
}

export const READ_ROLES_KEYWORD = 'x-portcullis-read-roles';
export const WRITE_ROLES_KEYWORD = 'x-portcullis-write-roles';

/** Which direction a filter serves: what a client may read, or what it may write. */
export interface Direction {
  /** The boolean keyword that hides a property in this direction. */
  hidden: 'writeOnly' | 'readOnly';
  /** The extension naming the roles that may see (or set) a property. */
  roles: string;
  /** Undeclared members of a described object are stripped (else kept, unfiltered). */
  stripUndeclared: boolean;
}

export const RESPONSE_DIRECTION: Direction = { hidden: 'writeOnly', roles: READ_ROLES_KEYWORD, stripUndeclared: true };
export const MAX_PATHS = 50;
/** Filter nodes one schema may compile to; only pathological composition graphs get near it. */
const MAX_COMPILED_NODES = 20_000;

/**
 * Compile the filter for one response schema. `doc` is the whole bundled document, against
 * which internal `$ref`s (`#/components/schemas/X`, `#/paths/…`) are resolved. Returns
 * `undefined` when the schema can never strip anything, so the caller can skip filtering.
 */
export function compileResponseFilter(schema: unknown, doc: JsonObject, opts: ResponseFilterOptions = {}): ResponseFilter | undefined {
  return compilePropertyFilter(schema, doc, RESPONSE_DIRECTION, opts);
}

/**
 * The same filter for either direction. For requests (`readOnly`, `x-portcullis-write-roles`)
 * it says which members a caller may not set: stripped, or the reason a request is refused.
 */
export function compilePropertyFilter(schema: unknown, doc: JsonObject, direction: Direction, opts: ResponseFilterOptions = {}): ResponseFilter | undefined {
  const compiler = new Compiler(doc, direction);
  const root = compiler.compile(schema);
  if (!root) return undefined;
  return makeFilter(root, opts.maxNodes ?? 100_000, opts.maxDepth ?? 512, compiler.roleGated);
}

// ---------------------------------------------------------------------------------------------
// Runtime

/** `null`: never visible (writeOnly, `false`); a set: visible to a caller holding one of its roles. */
type Gate = ReadonlySet<string> | null;

interface FNode {
  /** Checked by the parent object before keeping a member governed by this node. */
  gates: readonly Gate[] | undefined;
  /** Applying this node to a value may strip something inside it. */
  deep: boolean;
  /** Declared keys; `null`: keep the value verbatim. `undefined`: objects pass untouched. */
  props: Map<string, FNode | null> | undefined;
  /** Undeclared keys matching no pattern are stripped. */
  closed: boolean;
  extra: FNode | null;
  patterns: { test: (key: string) => boolean; node: FNode | null }[];
  /** A key matching several patterns gets the union of their schemas. */
  anyPattern: FNode | null;
  /** `undefined`: arrays pass untouched. */
  prefix: (FNode | null)[] | undefined;
  items: FNode | null;
}

interface RunState {
  roles: readonly string[];
  path: (string | number)[];
  stripped: string[];
  reasons: StripReason[];
  count: number;
  budget: number;
  maxDepth: number;
  truncated: boolean;
}

function makeFilter(root: FNode, maxNodes: number, maxDepth: number, roleGated: boolean): ResponseFilter {
  const filter = (value: unknown, roles: readonly string[]): FilterResult => {
    const st: RunState = { roles, path: [], stripped: [], reasons: [], count: 0, budget: maxNodes, maxDepth, truncated: false };
    const out = apply(root, value, st, 0);
    if (st.truncated) return { value: undefined, stripped: st.stripped, reasons: st.reasons, strippedCount: st.count, truncated: true };
    return { value: out, stripped: st.stripped, reasons: st.reasons, strippedCount: st.count };
  };
  return Object.assign(filter, { roleGated });
}

function apply(node: FNode, v: unknown, st: RunState, depth: number): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (depth >= st.maxDepth) { st.truncated = true; return v; }
  if (Array.isArray(v)) return node.prefix ? applyArray(node, node.prefix, v, st, depth) : v;
  return node.props ? applyObject(node, node.props, v as JsonObject, st, depth) : v;
}

function applyObject(node: FNode, props: Map<string, FNode | null>, obj: JsonObject, st: RunState, depth: number): unknown {
  const keys = Object.keys(obj);
  if ((st.budget -= keys.length) < 0) { st.truncated = true; return obj; }
  let out: JsonObject | undefined;
  let base: string | undefined; // this object's pointer, built on its first strip only
  for (let i = 0; i < keys.length && !st.truncated; i++) {
    const k = keys[i]!;
    const v = obj[k];
    let child = props.get(k);
    let keep = true;
    let reason: StripReason = 'undeclared';
    if (child === undefined) {
      child = node.patterns.length > 0 ? matchPattern(node, k) : undefined;
      if (child === undefined) {
        if (node.closed) keep = false;
        else child = node.extra;
      }
    }
    let nv = v;
    if (keep && child) {
      if (child.gates !== undefined && !visible(child.gates, st.roles)) {
        keep = false;
        reason = child.gates.includes(null) ? 'hidden' : 'role';
      } else if (child.deep && v !== null && typeof v === 'object') {
        st.path.push(k);
        nv = apply(child, v, st, depth + 1);
        st.path.pop();
      }
    }
    if (!keep) {
      if (++st.count <= MAX_PATHS) {
        st.stripped.push((base ??= pointer(st.path)) + '/' + escapePointer(k));
        st.reasons.push(reason);
      }
      out ??= copyPrefix(obj, keys, i);
      continue;
    }
    if (nv !== v) out ??= copyPrefix(obj, keys, i);
    if (out) set(out, k, nv);
  }
  return out ?? obj;
}

function applyArray(node: FNode, prefix: (FNode | null)[], arr: unknown[], st: RunState, depth: number): unknown {
  if ((st.budget -= arr.length) < 0) { st.truncated = true; return arr; }
  let out: unknown[] | undefined;
  for (let i = 0; i < arr.length && !st.truncated; i++) {
    const v = arr[i];
    const child = i < prefix.length ? prefix[i]! : node.items;
    let nv = v;
    if (child && v !== null && typeof v === 'object') {
      st.path.push(i);
      nv = apply(child, v, st, depth + 1);
      st.path.pop();
    }
    if (nv !== v) out ??= arr.slice(0, i);
    if (out) out.push(nv);
  }
  return out ?? arr;
}

/** `undefined` when no pattern matches. */
function matchPattern(node: FNode, key: string): FNode | null | undefined {
  let found: FNode | null | undefined;
  let n = 0;
  for (const p of node.patterns) if (p.test(key)) { found = p.node; n++; }
  return n > 1 ? node.anyPattern : found;
}

function visible(gates: readonly Gate[], roles: readonly string[]): boolean {
  for (const g of gates) {
    if (g === null) return false;
    let ok = false;
    for (const r of roles) if (g.has(r)) { ok = true; break; }
    if (!ok) return false;
  }
  return true;
}

function pointer(path: readonly (string | number)[]): string {
  let p = '';
  for (const seg of path) p += '/' + escapePointer(String(seg));
  return p;
}

function escapePointer(s: string): string {
  if (!s.includes('~') && !s.includes('/')) return s;
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

function copyPrefix(obj: JsonObject, keys: string[], end: number): JsonObject {
  const out: JsonObject = {};
  for (let j = 0; j < end; j++) set(out, keys[j]!, obj[keys[j]!]);
  return out;
}

/** JSON.parse makes `__proto__` an own key; plain assignment would set the prototype instead. */
function set(out: JsonObject, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  else out[k] = v;
}

// ---------------------------------------------------------------------------------------------
// Compilation

/**
 * What a set of schemas says about an object or array, with $ref/allOf/oneOf/anyOf flattened
 * away. Members are still raw schemas ("contributions"), compiled to nodes later, so
 * flattening only recurses through composition, never down the value's shape.
 */
interface Shape {
  /** 'none': admits objects, says nothing about them; 'never': `type` excludes objects. */
  obj: 'none' | 'never' | 'shape';
  props: Map<string, Contrib[]>;
  patterns: Pattern[];
  extras: 'closed' | 'open' | Contrib[];
  arr: 'none' | 'never' | 'shape';
  prefix: Contrib[][];
  /** Elements past the prefix; empty: unconstrained. */
  items: Contrib[];
  gates: Gate[];
}

interface Pattern { test: (key: string) => boolean; contribs: Contrib[] }

/**
 * A raw schema, or OPEN: "a oneOf/anyOf alternative accepts anything here". OPEN differs from
 * a `true` schema: merged with siblings (allOf semantics) `true` adds nothing, OPEN keeps all.
 */
type Contrib = unknown;
const OPEN: Contrib = Object.freeze({ open: true });

const TRUE_SHAPE: Shape = blankShape({ obj: 'none', arr: 'none', gates: [] });
const FALSE_SHAPE: Shape = blankShape({ obj: 'never', arr: 'never', gates: [null] });

function blankShape(s: Pick<Shape, 'obj' | 'arr' | 'gates'>): Shape {
  return { ...s, props: new Map(), patterns: [], extras: 'closed', prefix: [], items: [] };
}

class Compiler {
  private readonly shapes = new Map<object, Shape>();
  private readonly inProgress = new Set<object>();
  private readonly ids = new WeakMap<object, number>();
  private nextId = 1;
  private readonly nodes = new Map<string, FNode>();
  private readonly all: FNode[] = [];
  private readonly edges: { parent: FNode; child: FNode; keyed: boolean }[] = [];
  /** A roles extension was read (the node it marks may still be unreachable: conservative). */
  roleGated = false;

  constructor(private readonly doc: JsonObject, private readonly direction: Direction) {}

  compile(schema: unknown): FNode | undefined {
    const root = this.node([schema]);
    if (!root) return undefined;
    this.finish();
    return root.deep ? root : undefined;
  }

  // ---- flattening ---------------------------------------------------------------------------

  private shape(s: Contrib): Shape {
    if (s === false) return FALSE_SHAPE;
    if (s === null || typeof s !== 'object' || Array.isArray(s)) return TRUE_SHAPE;
    const memo = this.shapes.get(s);
    if (memo) return memo;
    // A composition cycle (A: allOf [$ref A]) adds nothing beyond what is already being merged.
    if (this.inProgress.has(s)) return TRUE_SHAPE;
    this.inProgress.add(s);
    const o = s as JsonObject;
    const members: Shape[] = [this.own(o)];
    if (typeof o.$ref === 'string') members.push(this.shape(resolvePointer(this.doc, o.$ref)));
    if (Array.isArray(o.allOf)) for (const m of o.allOf) members.push(this.shape(m));
    // then/else/dependentSchemas may declare keys: count them as declared (kept), never as alternatives.
    for (const k of ['then', 'else'] as const) if (k in o) members.push(this.shape(o[k]));
    if (isObject(o.dependentSchemas)) for (const m of Object.values(o.dependentSchemas)) members.push(this.shape(m));
    for (const k of ['oneOf', 'anyOf'] as const) {
      const alts = o[k];
      if (Array.isArray(alts) && alts.length > 0) members.push(this.union(alts.map((a) => this.shape(a))));
    }
    const out = members.length === 1 ? members[0]! : this.allOf(members);
    this.inProgress.delete(s);
    this.shapes.set(s, out);
    return out;
  }

  /** The schema's own keywords. */
  private own(s: JsonObject): Shape {
    const types = typeof s.type === 'string' ? [s.type] : Array.isArray(s.type) ? s.type : undefined;
    const out: Shape = blankShape({ obj: 'none', arr: 'none', gates: [] });
    if (s[this.direction.hidden] === true) out.gates.push(null);
    const roles = s[this.direction.roles];
    if (Array.isArray(roles)) out.gates.push(new Set(roles.filter((r): r is string => typeof r === 'string')));
    else if (typeof roles === 'string') out.gates.push(new Set([roles]));
    if (Array.isArray(roles) || typeof roles === 'string') this.roleGated = true;

    if (types && !types.includes('object')) out.obj = 'never';
    else {
      if (isObject(s.properties)) for (const [k, v] of Object.entries(s.properties)) out.props.set(k, [v]);
      if (isObject(s.patternProperties)) {
        for (const [src, v] of Object.entries(s.patternProperties)) out.patterns.push({ test: compilePattern(src), contribs: [v] });
      }
      const extras = 'additionalProperties' in s ? s.additionalProperties : s.unevaluatedProperties;
      out.extras = extras === false || (extras === undefined && this.direction.stripUndeclared) ? 'closed' : isObject(extras) ? [extras] : 'open';
      if (out.props.size > 0 || out.patterns.length > 0 || extras !== undefined) out.obj = 'shape';
    }

    if (types && !types.includes('array')) out.arr = 'never';
    else if (Array.isArray(s.items)) {
      // Draft-04-style tuple: `items: [...]` + `additionalItems`.
      out.prefix = s.items.map((x) => [x]);
      if (isObject(s.additionalItems)) out.items = [s.additionalItems];
      out.arr = 'shape';
    } else if (Array.isArray(s.prefixItems) || 'items' in s) {
      if (Array.isArray(s.prefixItems)) out.prefix = s.prefixItems.map((x) => [x]);
      if (isObject(s.items)) out.items = [s.items];
      out.arr = 'shape';
    }
    return out;
  }

  /** What applies to `key` in shape `m`: its declaration and matching patterns, else its extras. `undefined`: not allowed. */
  private contribsFor(m: Shape, key: string, union: boolean): Contrib[] | undefined {
    const declared = m.props.get(key);
    const matched = m.patterns.filter((p) => p.test(key)).flatMap((p) => p.contribs);
    if (declared) return matched.length > 0 ? [...declared, ...matched] : declared;
    if (matched.length > 0) return matched;
    if (Array.isArray(m.extras)) return m.extras;
    if (m.extras === 'open') return union ? [OPEN] : [];
    return undefined;
  }

  /** allOf: every member applies; the union of declared keys is declared. */
  private allOf(members: Shape[]): Shape {
    const out: Shape = blankShape({ obj: 'none', arr: 'none', gates: members.flatMap((m) => m.gates) });
    const objs = members.filter((m) => m.obj === 'shape');
    if (objs.length > 0) {
      out.obj = 'shape';
      for (const m of objs) {
        for (const k of m.props.keys()) {
          if (!out.props.has(k)) out.props.set(k, objs.flatMap((n) => this.contribsFor(n, k, false) ?? []));
        }
        out.patterns.push(...m.patterns);
      }
      const lists = objs.map((m) => m.extras).filter((e): e is Contrib[] => Array.isArray(e));
      out.extras = objs.some((m) => m.extras === 'open') ? 'open' : lists.length > 0 ? lists.flat() : 'closed';
    } else if (members.some((m) => m.obj === 'never')) out.obj = 'never';

    const arrs = members.filter((m) => m.arr === 'shape');
    if (arrs.length > 0) {
      out.arr = 'shape';
      const n = Math.max(...arrs.map((m) => m.prefix.length));
      for (let i = 0; i < n; i++) out.prefix.push(arrs.flatMap((m) => m.prefix[i] ?? m.items));
      out.items = arrs.flatMap((m) => m.items);
    } else if (members.some((m) => m.arr === 'never')) out.arr = 'never';
    return out;
  }

  /** oneOf/anyOf: keep whatever any alternative would keep (see the module comment). */
  private union(alts: Shape[]): Shape {
    const out: Shape = blankShape({ obj: 'none', arr: 'none', gates: alts.flatMap((a) => a.gates) });
    // An alternative's contribution that constrains nothing means "anything goes" here.
    const alt = (l: Contrib[]): Contrib[] => {
      const f = l.filter((c) => !this.inert(c));
      return f.length > 0 ? f : [OPEN];
    };
    const objs = alts.filter((a) => a.obj !== 'never');
    if (objs.length === 0) out.obj = 'never';
    else {
      out.obj = 'shape';
      const keys = new Set<string>();
      for (const a of objs) for (const k of a.props.keys()) keys.add(k);
      for (const k of keys) {
        const list: Contrib[] = [];
        for (const a of objs) {
          const l = a.obj === 'none' ? [OPEN] : this.contribsFor(a, k, true);
          if (l === undefined || l.includes(false)) continue; // this alternative does not allow k
          list.push(...alt(l));
        }
        out.props.set(k, list.length > 0 ? list : [false]);
      }
      const open = objs.some((a) => a.obj === 'none' || a.extras === 'open');
      const extras = objs.flatMap((a) => (Array.isArray(a.extras) ? alt(a.extras) : []));
      out.extras = open ? 'open' : extras.length > 0 ? extras : 'closed';
      // A key matching one alternative's pattern may be another's extra: keep both readings.
      const extraContribs = open ? [OPEN] : extras;
      for (const a of objs) for (const p of a.patterns) out.patterns.push({ test: p.test, contribs: [...alt(p.contribs), ...extraContribs] });
    }
    const arrs = alts.filter((a) => a.arr !== 'never');
    if (arrs.length === 0) out.arr = 'never';
    else {
      out.arr = 'shape';
      const n = Math.max(...arrs.map((a) => a.prefix.length));
      for (let i = 0; i < n; i++) out.prefix.push(arrs.flatMap((a) => (a.arr === 'none' ? [OPEN] : alt(a.prefix[i] ?? a.items))));
      out.items = arrs.flatMap((a) => (a.arr === 'none' ? [OPEN] : alt(a.items)));
    }
    return out;
  }

  /** Constrains nothing a filter cares about. */
  private inert(c: Contrib): boolean {
    if (c === OPEN || c === false) return false;
    const s = this.shape(c);
    if (s.gates.length > 0) return false;
    const objNone = s.obj === 'none' || (s.obj === 'shape' && s.props.size === 0 && s.patterns.length === 0 && s.extras === 'open');
    const arrNone = s.arr === 'none' || (s.arr === 'shape' && s.prefix.length === 0 && s.items.length === 0);
    return objNone && arrNone;
  }

  // ---- nodes --------------------------------------------------------------------------------

  private id(c: Contrib): string {
    if (c === OPEN) return 'o';
    if (c === false) return 'f';
    const o = c as object;
    let id = this.ids.get(o);
    if (id === undefined) { id = this.nextId++; this.ids.set(o, id); }
    return String(id);
  }

  /**
   * The node for "all of these contributions apply", memoised by the set of contributions so a
   * recursive schema (Tree → children → Tree) closes into a cycle of nodes instead of looping.
   * `null`: nothing here constrains the value.
   */
  private node(contribs: Contrib[]): FNode | null {
    const live = contribs.filter((c) => !this.inert(c));
    if (live.length === 0 || (live.length === 1 && live[0] === OPEN)) return null;
    const key = [...new Set(live.map((c) => this.id(c)))].sort().join(',');
    const memo = this.nodes.get(key);
    if (memo) return memo;
    if (this.all.length >= MAX_COMPILED_NODES) {
      throw new PortcullisError('PC_ERR_SPEC_INVALID', `a response schema is too complex to compile its property filter (over ${MAX_COMPILED_NODES} nodes)`, {
        hint: 'Simplify the composition (allOf/oneOf/anyOf) of the response schemas.',
      });
    }
    const open = live.includes(OPEN);
    const sh = this.allOf(live.filter((c) => c !== OPEN).map((c) => this.shape(c)));
    const gates = sh.gates.includes(null) ? [null] : [...new Set(sh.gates)];
    const n: FNode = {
      gates: gates.length > 0 ? gates : undefined, deep: false, props: undefined, closed: false,
      extra: null, patterns: [], anyPattern: null, prefix: undefined, items: null,
    };
    this.nodes.set(key, n);
    this.all.push(n);
    const plus = (l: Contrib[]): Contrib[] => (open ? [...l, OPEN] : l);
    if (sh.obj === 'shape') {
      const props = new Map<string, FNode | null>();
      for (const [k, l] of sh.props) props.set(k, this.child(n, plus(l), true));
      n.props = props;
      n.closed = !open && sh.extras === 'closed';
      n.extra = Array.isArray(sh.extras) ? this.child(n, plus(sh.extras), true) : null;
      n.patterns = sh.patterns.map((p) => ({ test: p.test, node: this.child(n, plus(p.contribs), true) }));
      if (n.patterns.length > 1) n.anyPattern = this.child(n, plus(sh.patterns.flatMap((p) => p.contribs)), true);
    }
    if (sh.arr === 'shape') {
      n.prefix = sh.prefix.map((l) => this.child(n, plus(l), false));
      n.items = this.child(n, plus(sh.items), false);
    }
    return n;
  }

  private child(parent: FNode, contribs: Contrib[], keyed: boolean): FNode | null {
    const c = this.node(contribs);
    if (c) this.edges.push({ parent, child: c, keyed });
    return c;
  }

  /** Mark which nodes can strip anything (cycles included), then drop the children that cannot. */
  private finish(): void {
    const parents = new Map<FNode, FNode[]>();
    const work: FNode[] = [];
    const mark = (n: FNode): void => { if (!n.deep) { n.deep = true; work.push(n); } };
    for (const n of this.all) if (n.props && n.closed) mark(n);
    for (const e of this.edges) {
      if (e.keyed && e.child.gates) mark(e.parent);
      let l = parents.get(e.child);
      if (!l) parents.set(e.child, (l = []));
      l.push(e.parent);
    }
    for (let n = work.pop(); n; n = work.pop()) for (const p of parents.get(n) ?? []) mark(p);

    const keep = (c: FNode | null, keyed: boolean): FNode | null => (c && (c.deep || (keyed && c.gates)) ? c : null);
    for (const n of this.all) {
      if (n.props) {
        for (const [k, c] of n.props) n.props.set(k, keep(c, true));
        n.extra = keep(n.extra, true);
        for (const p of n.patterns) p.node = keep(p.node, true);
        n.anyPattern = keep(n.anyPattern, true);
        const active = n.closed || n.extra !== null || n.anyPattern !== null || n.patterns.some((p) => p.node) || [...n.props.values()].some((c) => c);
        if (!active) n.props = undefined;
      }
      if (n.prefix) {
        n.prefix = n.prefix.map((c) => keep(c, false));
        n.items = keep(n.items, false);
        if (!n.items && !n.prefix.some((c) => c)) n.prefix = undefined;
      }
    }
  }
}

/** Patterns come from specs we do not control: only linear-time engines (as in ajv.ts). */
function compilePattern(src: string): (key: string) => boolean {
  try {
    if (isLinearTimePattern(src)) {
      const re = new RegExp(src, 'u');
      return (k) => re.test(k);
    }
    const re = RE2JS.compile(src);
    return (k) => re.test(k);
  } catch {
    // Unusable pattern: it matches nothing, so such keys fall to additionalProperties (fail closed).
    return () => false;
  }
}

function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
