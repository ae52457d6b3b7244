import { DATA_CLASSES, scanJsonValue, scanText, type DataClass } from '../../detect/data-classes/index.js';
import { classifySegment, isValueKind } from '../classify.js';
import { decodeSegment } from '../segments.js';
import type { TrafficRecord } from '../sources/record.js';

/**
 * The sensitive-data classes (src/detect/data-classes) a record carries, and where: in the
 * path, the query, the request body, the response body. Field locations are JSON Pointers of
 * member names with array indices (and member names that are values: ids, e-mails, tokens) as
 * `*`, so they name a field, never a value.
 */
export type DataLocation = 'path' | 'query' | 'request' | 'response';

export interface DataField {
  in: DataLocation;
  /** `/customer/email`, `/items/*\/card`; `` for the whole value (a path, a scalar body). */
  pointer: string;
  cls: DataClass;
}

export interface RecordData {
  request: Set<DataClass>;
  response: Set<DataClass>;
  fields: DataField[];
}

/** Values read per body (a HAR body is at most 256 KiB; this bounds the walk, not the parse). */
const MAX_SCAN_NODES = 10_000;
const MAX_SCAN_STRING = 65_536;
const MAX_FIELDS_PER_RECORD = 20;

function fieldPointer(pointer: string): string {
  if (pointer === '') return '';
  return pointer.split('/').map((seg, i) => {
    if (i === 0) return seg;
    const decoded = seg.replaceAll('~1', '/').replaceAll('~0', '~');
    return /^\d+$/.test(decoded) || isValueKind(classifySegment(decoded)) || scanText(decoded).matches.length > 0 ? '*' : seg;
  }).join('/');
}

function addJson(value: unknown, where: DataLocation, into: Set<DataClass>, fields: DataField[]): void {
  const scan = scanJsonValue(value, { maxNodes: MAX_SCAN_NODES, maxStringLength: MAX_SCAN_STRING });
  for (const c of scan.classes) into.add(c);
  for (const f of scan.paths) {
    if (fields.length >= MAX_FIELDS_PER_RECORD) break;
    fields.push({ in: where, pointer: fieldPointer(f.path), cls: f.cls });
  }
}

export function recordDataClasses(r: TrafficRecord): RecordData {
  const out: RecordData = { request: new Set(), response: new Set(), fields: [] };
  const path = decodeSegment(r.path.length > MAX_SCAN_STRING ? r.path.slice(0, MAX_SCAN_STRING) : r.path);
  const inPath = scanText(path);
  for (const m of inPath.matches) {
    out.request.add(m.cls);
    if (out.fields.length < MAX_FIELDS_PER_RECORD && !out.fields.some((f) => f.in === 'path' && f.cls === m.cls)) out.fields.push({ in: 'path', pointer: '', cls: m.cls });
  }
  if (Object.keys(r.query).length > 0) addJson(r.query, 'query', out.request, out.fields);
  if (r.requestBody !== undefined) addJson(r.requestBody, 'request', out.request, out.fields);
  if (r.responseBody !== undefined) addJson(r.responseBody, 'response', out.response, out.fields);
  // Gateway samples are stored masked: the classes their bodies held before masking come with them.
  for (const c of r.dataClasses?.request ?? []) if (isDataClass(c)) out.request.add(c);
  for (const c of r.dataClasses?.response ?? []) if (isDataClass(c)) out.response.add(c);
  return out;
}

const KNOWN_CLASSES: ReadonlySet<string> = new Set(DATA_CLASSES);
function isDataClass(c: string): c is DataClass {
  return KNOWN_CLASSES.has(c);
}
