import { parseQuery } from './query.js';
import { reduceHeaders } from './redact.js';
import type { SourceOptions, TrafficRecord } from './record.js';

/**
 * The fields every source fills the same way once it has read a method, a target, a status and
 * a time: the query parsed and the headers reduced (credentials to their scheme) under the bounds.
 */
export function baseRecord(
  method: string, target: { path: string; search: string }, status: number, time: number,
  headers: Iterable<readonly [string, string]>, o: Required<SourceOptions>,
): TrafficRecord {
  return {
    method: method.toUpperCase(),
    path: target.path,
    query: parseQuery(target.search, o.maxQueryParams, o.maxValueLength),
    status,
    time,
    requestHeaders: reduceHeaders(headers, o.maxHeaders, o.maxValueLength),
  };
}
