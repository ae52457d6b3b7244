import type { JsonObject } from './load.js';
import { resolvePointer } from './load.js';
import { compileResponseFilter, type ResponseFilter } from './response-filter.js';

/**
 * What an operation declares about its responses, compiled once: per status key and media
 * type, the property filter of the declared JSON schema (undefined when it can strip nothing).
 * Shared between calls (memoised): read only.
 */
export interface ResponseMatch {
  /** The status key that matched (`200`, `2XX`, `default`), or undefined when none is declared. */
  readonly status: string | undefined;
  /** The declared media type that matched, if any. */
  readonly media: string | undefined;
  readonly filter: ResponseFilter | undefined;
  /** Some media type declared for this status has a filter (so an undeclared one cannot be let by unfiltered). */
  readonly filtered: boolean;
}

/** Objects and arrays examined per response: a 2 MiB body cannot hold more. */
const FILTER_MAX_NODES = 2_000_000;
const FILTER_MAX_DEPTH = 512;

/** Answers remembered per table: (status, media type) pairs an upstream really sends are few. */
const MEMO_MAX = 64;

export class ResponseTable {
  /** True when some declared response may have properties stripped. */
  readonly filters: boolean;
  private readonly memo = new Map<number, Map<string | undefined, ResponseMatch>>();
  private memoSize = 0;

  private constructor(private readonly byStatus: Map<string, Map<string, ResponseFilter | undefined>>) {
    let any = false;
    for (const m of byStatus.values()) for (const f of m.values()) if (f) any = true;
    this.filters = any;
  }

  static compile(doc: JsonObject, responses: Map<string, Map<string, string | undefined>>): ResponseTable {
    const byStatus = new Map<string, Map<string, ResponseFilter | undefined>>();
    for (const [status, media] of responses) {
      const compiled = new Map<string, ResponseFilter | undefined>();
      for (const [type, pointer] of media) {
        const schema = pointer !== undefined && isJsonMediaType(type) ? resolvePointer(doc, pointer) : undefined;
        compiled.set(type, schema === undefined ? undefined : compileResponseFilter(schema, doc, { maxNodes: FILTER_MAX_NODES, maxDepth: FILTER_MAX_DEPTH }));
      }
      byStatus.set(status, compiled);
    }
    return new ResponseTable(byStatus);
  }

  /** Exact status, then its class (`2XX`), then `default`; exact media type, then `type/*`, then `*\/*`. */
  lookup(status: number, mediaType: string | undefined): ResponseMatch {
    const known = this.memo.get(status)?.get(mediaType);
    if (known) return known;
    const match = this.match(status, mediaType);
    if (this.memoSize < MEMO_MAX) {
      let byType = this.memo.get(status);
      if (!byType) this.memo.set(status, (byType = new Map()));
      byType.set(mediaType, match);
      this.memoSize++;
    }
    return match;
  }

  private match(status: number, mediaType: string | undefined): ResponseMatch {
    const code = String(status);
    const key = this.byStatus.has(code) ? code : this.byStatus.has(`${code[0]}XX`) ? `${code[0]}XX` : this.byStatus.has('default') ? 'default' : undefined;
    if (key === undefined) return { status: undefined, media: undefined, filter: undefined, filtered: false };
    const media = this.byStatus.get(key)!;
    let filtered = false;
    for (const f of media.values()) if (f) { filtered = true; break; }
    let type: string | undefined;
    if (mediaType !== undefined) {
      const range = `${mediaType.slice(0, mediaType.indexOf('/'))}/*`;
      type = media.has(mediaType) ? mediaType : media.has(range) ? range : media.has('*/*') ? '*/*' : undefined;
    }
    return { status: key, media: type, filter: type === undefined ? undefined : media.get(type), filtered };
  }
}

/** `application/json`, `application/problem+json`, `application/vnd.x+json`, and ranges that include them. */
export function isJsonMediaType(type: string): boolean {
  return type === 'application/json' || type.endsWith('+json') || type === 'application/*' || type === '*/*';
}
