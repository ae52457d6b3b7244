import { principalOf } from './principal.js';
import { parseQuery } from './query.js';
import { credentialCookieNames, reduceHeaders } from './redact.js';
import type { SourceOptions, TrafficRecord } from './record.js';

/**
 * The fields every source fills the same way once it has read a method, a target, a status and
 * a time: the query parsed and the headers reduced (credentials to their scheme) under the bounds,
 * and the principal hashed from the credentials before they are reduced.
 */
export function baseRecord(
  method: string, target: { path: string; search: string }, status: number, time: number,
  headers: Iterable<readonly [string, string]>, o: Required<SourceOptions>,
): TrafficRecord {
  const list = Array.isArray(headers) ? (headers as ReadonlyArray<readonly [string, string]>) : [...headers];
  const record: TrafficRecord = {
    method: method.toUpperCase(),
    path: target.path,
    query: parseQuery(target.search, o.maxQueryParams, o.maxValueLength),
    status,
    time,
    requestHeaders: reduceHeaders(list, o.maxHeaders, o.maxValueLength),
  };
  const principal = principalOf(list, target.search);
  if (principal !== undefined) record.principal = principal;
  const cookies = credentialCookieNames(list);
  if (cookies.length > 0) record.credentialCookies = cookies;
  return record;
}
