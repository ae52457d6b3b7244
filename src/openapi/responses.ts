import type { JsonObject } from './load.js';
import { resolvePointer } from './load.js';
import { compileResponseFilter, type ResponseFilter } from './response-filter.js';

/**
 * What an operation declares about its responses, compiled once: per status key and media
 * type, the property filter of the declared JSON schema (undefined when it can strip nothing).
 */
export interface ResponseMatch {
  /** The status key that matched (`200`, `2XX`, `default`), or undefined when none is declared. */
  status: string | undefined;
  /** The declared media type that matched, if any. */
  media: string | undefined;
  filter: ResponseFilter | undefined;
  /** Some media type declared for this status has a filter (so an undeclared one cannot be let by unfiltered). */
  filtered: boolean;
}

/** Objects and arrays examined per response: a 2 MiB body cannot hold more. */
const FILTER_MAX_NODES = 2_000_000;
const FILTER_MAX_DEPTH = 512;

export class ResponseTable {
  private constructor(private readonly byStatus: Map<string, Map<string, ResponseFilter | undefined>>) {}

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

  /** True when some declared response may have properties stripped. */
  get filters(): boolean {
    for (const m of this.byStatus.values()) for (const f of m.values()) if (f) return true;
    return false;
  }

  /** Exact status, then its class (`2XX`), then `default`; exact media type, then `type/*`, then `*\/*`. */
  lookup(status: number, mediaType: string | undefined): ResponseMatch {
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
