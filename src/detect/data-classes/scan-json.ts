import { keyWords } from './context.js';
import { DEFAULT_MAX_MATCHES, detectorsFor, scanWith } from './find.js';
import { maskText } from './mask.js';
import type { DataClass, Detector, ScanContext } from './types.js';

/**
 * Scanning a parsed JSON value. The walk is iterative (any depth), visits members in document
 * order and counts every value it visits against `maxNodes`. String values and numbers are
 * classified (a card number or an SSN is often a JSON number); member names are not, but they are
 * context: a bare 9-digit value under `ssn` is an SSN, `1.2.3.4` under `version` is not an IP.
 * Numbers are classified as `String(n)`: integers above 2^53 have already lost digits by then.
 */

export const MAX_REPORTED_PATHS = 50;
export const DEFAULT_MAX_STRING_LENGTH = 1_048_576;

export interface JsonScanOptions {
  /** Classes to look for; all when absent. */
  classes?: ReadonlySet<DataClass>;
  /** Values visited at most (containers and leaves); the rest is not scanned. */
  maxNodes: number;
  /** Only this many leading characters of a string are scanned (default 1 MiB). */
  maxStringLength?: number;
  /** Internal: `false` skips the pre-checks, as in `TextScanOptions.prefilter`. */
  prefilter?: boolean;
}

export interface JsonFinding {
  /** JSON Pointer (RFC 6901) of the value: `/users/0/email`, `` for the root. */
  path: string;
  cls: DataClass;
}

export interface JsonScan {
  classes: Set<DataClass>;
  /** The first findings (at most MAX_REPORTED_PATHS), one per value and class. */
  paths: JsonFinding[];
  /** Some of the value was not scanned (node cap, long string, match cap): do not treat it as clean. */
  truncated: boolean;
}

export interface JsonMask {
  /** A new value with matches masked; `input` is untouched. Subtrees past the node cap are shared, unscanned. */
  value: unknown;
  /** The first masked values (at most MAX_REPORTED_PATHS). */
  masked: JsonFinding[];
  truncated: boolean;
}

interface Frame {
  value: unknown;
  parent: Frame | undefined;
  key: string | number | undefined;
  /** Words of the nearest member name (array items inherit their array's). */
  words: readonly string[] | undefined;
  /** Where the copy goes (mask only). */
  holder: Record<string | number, unknown> | unknown[] | undefined;
}

function pointer(frame: Frame): string {
  const keys: string[] = [];
  for (let f: Frame | undefined = frame; f?.parent; f = f.parent) keys.push(escapeKey(String(f.key)));
  return keys.length === 0 ? '' : `/${keys.reverse().join('/')}`;
}

/** RFC 6901 escaping; most keys need none, and the test is cheaper than two replaceAll copies. */
function escapeKey(key: string): string {
  return key.includes('~') || key.includes('/') ? key.replaceAll('~', '~0').replaceAll('/', '~1') : key;
}

function put(holder: Frame['holder'], key: string | number | undefined, value: unknown): void {
  if (Array.isArray(holder)) holder[key as number] = value;
  // A parsed `"__proto__"` member is an own property; plain assignment would set the prototype.
  else if (holder) Object.defineProperty(holder, key as string, { value, writable: true, enumerable: true, configurable: true });
}

interface Walk {
  value: unknown;
  findings: JsonFinding[];
  classes: Set<DataClass>;
  truncated: boolean;
}

/** What every leaf of one walk is scanned with. */
interface LeafScan {
  /** Selected once per walk rather than once per leaf. */
  detectors: readonly Detector[];
  maxString: number;
  prefilter: boolean;
  copy: boolean;
}

function walk(input: unknown, opts: JsonScanOptions, copy: boolean): Walk {
  const leaf: LeafScan = {
    // Nothing runs during the walk that could change `opts.classes`, so it is read once.
    detectors: detectorsFor(opts.classes),
    maxString: opts.maxStringLength ?? DEFAULT_MAX_STRING_LENGTH,
    prefilter: opts.prefilter !== false,
    copy,
  };
  const root: unknown[] = [undefined];
  const out: Walk = { value: undefined, findings: [], classes: new Set(), truncated: false };
  const stack: Frame[] = [{ value: input, parent: undefined, key: 0, words: undefined, holder: copy ? root : undefined }];
  let nodes = 0;
  while (stack.length > 0) {
    const f = stack.pop()!;
    if (++nodes > opts.maxNodes) {
      out.truncated = true;
      if (copy) {
        put(f.holder, f.key, f.value);
        for (let g = stack.pop(); g; g = stack.pop()) put(g.holder, g.key, g.value);
      }
      break;
    }
    const v = f.value;
    if (Array.isArray(v)) {
      const dst: unknown[] | undefined = copy ? new Array<unknown>(v.length) : undefined;
      put(f.holder, f.key, dst);
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], parent: f, key: i, words: f.words, holder: dst });
    } else if (v !== null && typeof v === 'object') {
      const dst: Record<string, unknown> | undefined = copy ? {} : undefined;
      put(f.holder, f.key, dst);
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const k = keys[i]!;
        stack.push({ value: (v as Record<string, unknown>)[k], parent: f, key: k, words: keyWords(k), holder: dst });
      }
    } else if (typeof v === 'string' || typeof v === 'bigint' || (typeof v === 'number' && Number.isFinite(v))) {
      put(f.holder, f.key, scanLeaf(v, f, leaf, out));
    } else {
      put(f.holder, f.key, v);
    }
  }
  out.value = root[0];
  return out;
}

/** Classifies one leaf, records findings and returns its masked form (the value itself when clean). */
function scanLeaf(v: string | number | bigint, f: Frame, leaf: LeafScan, out: Walk): unknown {
  let text = typeof v === 'string' ? v : String(v);
  let tail = '';
  if (text.length > leaf.maxString) {
    out.truncated = true;
    tail = text.slice(leaf.maxString);
    text = text.slice(0, leaf.maxString);
  }
  const context: ScanContext = { keyWords: f.words, numeric: typeof v !== 'string' };
  const scan = scanWith(text, leaf.detectors, context, DEFAULT_MAX_MATCHES, leaf.prefilter);
  if (!scan) return v;
  if (scan.truncated) out.truncated = true;
  if (scan.matches.length === 0) return v;
  const seen = new Set<DataClass>();
  for (const m of scan.matches) {
    out.classes.add(m.cls);
    if (seen.has(m.cls)) continue;
    seen.add(m.cls);
    if (out.findings.length < MAX_REPORTED_PATHS) out.findings.push({ path: pointer(f), cls: m.cls });
  }
  return leaf.copy ? maskText(text, scan.matches) + tail : v;
}

/** Which classes occur in a parsed JSON value, and where. */
export function scanJsonValue(value: unknown, opts: JsonScanOptions): JsonScan {
  const w = walk(value, opts, false);
  return { classes: w.classes, paths: w.findings, truncated: w.truncated };
}

/** A copy of a parsed JSON value with every match masked (matching numbers become masked strings). */
export function maskJsonValue(value: unknown, opts: JsonScanOptions): JsonMask {
  const w = walk(value, opts, true);
  return { value: w.value, masked: w.findings, truncated: w.truncated };
}
