import Busboy from 'busboy';
import type { Limits } from '../config/defaults.js';
import { isAllowedCharset, isJsonMediaType, parseMediaType } from './parse/media-type.js';
import { parseQuery } from './parse/query.js';
import { parseStrictJson, type JsonLimits } from './parse/strict-json.js';

export type DecodeResult =
  | {
    ok: true; mediaType: string | undefined; value?: unknown; decoded: boolean; files?: MultipartFile[];
    /** A form body with an encoded NUL: decoded for the detectors, then refused with `refusal` (see parseQuery's `keepNul`). */
    nul?: { ruleId: string; status: 400; detail: string };
  }
  | { ok: false; status: 400 | 415; ruleId: string; detail: string };

export interface MultipartFile { field: string; filename: string | undefined; mimeType: string; size: number }

const MALFORMED = 'protocol/body-malformed';

/**
 * Turn body bytes into the value validators and detectors see, once. The same bytes are
 * forwarded: decoding never rewrites the body. Parsers are strict where parsers disagree
 * (duplicate keys, BOM, charset, multipart boundary tricks): ambiguity is refused, not guessed.
 */
export async function decodeBody(bytes: Buffer, contentType: string | undefined, declared: { has(type: string): boolean } | undefined, limits: Limits): Promise<DecodeResult> {
  if (contentType === undefined) return { ok: true, mediaType: undefined, decoded: false };
  const mt = parseMediaType(contentType);
  if (!mt.ok) return { ok: false, status: 415, ruleId: 'protocol/content-type', detail: `Content-Type is malformed: ${mt.reason}.` };
  if (!isAllowedCharset(mt.params)) return { ok: false, status: 415, ruleId: 'protocol/content-type', detail: 'Only UTF-8 (or US-ASCII) request bodies are accepted.' };
  const type = mt.type;
  // Only media types the operation declares are decoded; anything else is judged by the contract control.
  if (declared && !declared.has(type) && !declared.has(`${type.slice(0, type.indexOf('/'))}/*`) && !declared.has('*/*')) {
    return { ok: true, mediaType: type, decoded: false };
  }
  if (isJsonMediaType(type)) {
    if (bytes.length === 0) return { ok: true, mediaType: type, value: undefined, decoded: true };
    const text = decodeUtf8(bytes);
    if (text === undefined) return { ok: false, status: 400, ruleId: MALFORMED, detail: 'The JSON body is not valid UTF-8.' };
    const r = parseStrictJson(text, jsonLimits(limits));
    if (!r.ok) return { ok: false, status: 400, ruleId: MALFORMED, detail: `The JSON body is invalid: ${r.reason} (at offset ${r.position}).` };
    return { ok: true, mediaType: type, value: r.value, decoded: true };
  }
  if (type === 'application/x-www-form-urlencoded') {
    const text = decodeUtf8(bytes);
    if (text === undefined) return { ok: false, status: 400, ruleId: MALFORMED, detail: 'The form body is not valid UTF-8.' };
    const r = parseQuery(text, { maxParams: limits.queryParams, form: true, keepNul: true });
    if (!r.ok) return { ok: false, status: 400, ruleId: MALFORMED, detail: `The form body is invalid: ${r.reason}.` };
    const value = fieldsToObject(r.params);
    return r.nul ? { ok: true, mediaType: type, value, decoded: true, nul: { status: 400, ruleId: MALFORMED, detail: 'The form body is invalid: encoded NUL in form body.' } } : { ok: true, mediaType: type, value, decoded: true };
  }
  if (type === 'multipart/form-data') {
    const boundary = mt.params.get('boundary');
    if (!boundary) return { ok: false, status: 400, ruleId: MALFORMED, detail: 'multipart/form-data without a boundary.' };
    return decodeMultipart(bytes, contentType, limits);
  }
  return { ok: true, mediaType: type, decoded: false };
}

/** Media types the gateway decodes (and validators see as values); every other type is opaque bytes. */
export function isDecodedMediaType(type: string): boolean {
  return isJsonMediaType(type) || type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data';
}

export function jsonLimits(l: Limits): JsonLimits {
  return { maxDepth: l.jsonDepth, maxKeys: l.jsonKeys, maxItems: l.jsonItems, maxNodes: l.jsonNodes, maxNumberLength: l.jsonNumberLength };
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
function decodeUtf8(bytes: Buffer): string | undefined {
  try { return utf8.decode(bytes); } catch { return undefined; }
}

/** Form fields as the object a schema describes: a repeated name becomes an array (the validator coerces types). */
function fieldsToObject(fields: Map<string, string[]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const [k, v] of fields) out[k] = v.length === 1 ? v[0]! : v;
  return out;
}

/** Multipart fields become a Map like form fields; files become `{ filename, mimeType, size }`. */
function decodeMultipart(bytes: Buffer, contentType: string, limits: Limits): Promise<DecodeResult> {
  return new Promise((resolve) => {
    const fields = new Map<string, string[]>();
    const files: MultipartFile[] = [];
    let failed = false;
    const fail = (detail: string): void => {
      if (failed) return;
      failed = true;
      resolve({ ok: false, status: 400, ruleId: MALFORMED, detail });
    };
    let bb: Busboy.Busboy;
    try {
      bb = Busboy({
        headers: { 'content-type': contentType },
        limits: { parts: limits.multipartParts, fields: limits.multipartFields, files: limits.multipartParts, headerPairs: 20, fieldSize: limits.bodyBytes },
        defParamCharset: 'utf8',
      });
    } catch (e) {
      fail(`multipart body rejected: ${(e as Error).message}`);
      return;
    }
    const add = (name: string, v: string): void => {
      const list = fields.get(name) ?? [];
      list.push(v);
      fields.set(name, list);
    };
    bb.on('field', (name, value, info) => {
      if (info.nameTruncated || info.valueTruncated) fail('A multipart field is too large.');
      else add(name, value);
    });
    bb.on('file', (name, stream, info) => {
      let size = 0;
      stream.on('data', (c: Buffer) => { size += c.length; });
      // A file part is validated as a string (OpenAPI `format: binary`); its bytes are not scanned here.
      stream.on('end', () => { files.push({ field: name, filename: info.filename, mimeType: info.mimeType, size }); add(name, info.filename ?? ''); });
    });
    bb.on('partsLimit', () => fail(`More than ${limits.multipartParts} multipart parts.`));
    bb.on('fieldsLimit', () => fail(`More than ${limits.multipartFields} multipart fields.`));
    bb.on('filesLimit', () => fail(`More than ${limits.multipartParts} multipart files.`));
    bb.on('error', (e: Error) => fail(`multipart body is malformed: ${e.message}`));
    bb.on('close', () => { if (!failed) resolve({ ok: true, mediaType: 'multipart/form-data', value: fieldsToObject(fields), files, decoded: true }); });
    bb.end(bytes);
  });
}
