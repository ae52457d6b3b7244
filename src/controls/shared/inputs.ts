import { headerValue, type RequestContext } from '../../core/context.js';
import { isXmlMediaType } from '../../gateway/parse/media-type.js';
import { xmlValues } from '../../gateway/parse/xml-values.js';
import { parseCookieHeader } from '../../openapi/parameters.js';
import type { InputKind } from '../../detect/types.js';
import { memberPlan, SCAN_ALL, type ScanPlan } from '../../openapi/scan-plan.js';

export type { InputKind } from '../../detect/types.js';

/** One free-form value a detector should look at, and where it came from (for events and exclusions). */
export interface Input {
  kind: InputKind;
  value: string;
  /** The parameter or member holding the value (for names: the object they are members of); array indexes are skipped. */
  readonly name: string | undefined;
  /** The contract declares the value a URL (`format: uri`…). */
  readonly urlValued?: boolean;
  /** `path.id`, `query.q`, `query-key`, `body/comment`, `body-key/…`: built on first read (most inputs are never reported). */
  readonly location: string;
}

const MAX_INPUTS = 2_000;
const MAX_WALK = 100_000;

/**
 * Headers never shown to detectors: credentials (never quoted in an event), cookies (read
 * pair by pair below), and headers whose syntax the gateway itself enforces or that carry no
 * free text. Everything else (User-Agent, Referer, Origin, Forwarded, X-…) is attacker text
 * that upstreams log and reflect: log4shell arrives in such headers.
 */
const UNSCANNED_HEADERS = new Set([
  'authorization', 'proxy-authorization', 'cookie', 'host', 'content-length', 'content-type', 'content-encoding',
  'transfer-encoding', 'connection', 'keep-alive', 'te', 'trailer', 'upgrade', 'expect', 'accept', 'accept-encoding',
  'accept-language', 'accept-charset', 'if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since',
  'if-range', 'range', 'cache-control', 'pragma', 'dnt', 'priority', 'upgrade-insecure-requests',
]);

/**
 * The values attackers control, decoded once by the request parsers: path parameters, query
 * keys and values, free-text headers, cookie names and values, and every string leaf and member
 * name of a decoded body (JSON, form, multipart fields and file names). What request validation already proved the contract pins
 * (typed or enum parameters and leaves, safe formats, member names of closed objects) is
 * skipped; without that proof everything is collected. Bounded in count and in work.
 */
export function collectInputs(ctx: RequestContext): Input[] {
  // Several controls read the same inputs of one request: walk the body once.
  // On the context, not in a WeakMap keyed by every request (each GC would walk it).
  if (ctx.inputs) return ctx.inputs;
  const out: Input[] = [];
  ctx.inputs = out;
  const add = (input: Input): void => { if (out.length < MAX_INPUTS && input.value !== '') out.push(input); };
  // A value of the request may be an XML document; values read out of one (here or from an XML body) are not read again.
  const push = (input: Input): void => {
    add(input);
    if (mayHoldXmlDocument(input)) collectEmbeddedXml(input, add, MAX_INPUTS - out.length);
  };
  const op = ctx.route?.operation;
  const pins = ctx.validated?.params ? op?.pinnedParams : undefined;
  for (const [name, raw] of Object.entries(ctx.route?.rawParams ?? {})) {
    const value = safeDecode(raw);
    if (!pins?.get(`path:${name}`)?.(value)) push(new FixedInput('path', value, `path.${name}`, name));
  }
  for (const [name, values] of ctx.query ?? []) {
    push(new FixedInput('query-key', name, 'query-key', undefined));
    const pin = pins?.get(`query:${name}`);
    const url = op?.urlParams.has(`query:${name}`) ?? false;
    for (const v of values) if (!pin?.(v)) push(new FixedInput('query', v, `query.${name.slice(0, 64)}`, name, url));
  }
  collectHeaders(ctx, push);
  const body = ctx.body?.decoded ? ctx.body.value : undefined;
  if (body !== undefined) {
    // Skips need the proof that the body validated; without it the whole body is walked, plan-free.
    const media = ctx.validated?.bodyMedia;
    const plan = media !== undefined ? op?.compiledBody?.scanPlans.get(media) : undefined;
    walk(body, plan ?? SCAN_ALL, push);
    // The walk saw each file name as its field's value; as a file name it also meets the upload checks.
    for (const f of ctx.body?.fileNames ?? []) push(new FixedInput('file-name', f.name, `file-name.${f.field.slice(0, 64)}`, f.field));
  } else if (ctx.body && !ctx.body.decoded && ctx.body.mediaType !== undefined && isXmlMediaType(ctx.body.mediaType) && ctx.body.bytes.length > 0) {
    collectXml(ctx.body.bytes, add);
  }
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** An XML body: the document itself (for XXE), then its text, attribute values and names. */
function collectXml(bytes: Buffer, push: (input: Input) => void): void {
  const text = utf8.decode(bytes);
  push(new FixedInput('document', text, 'body', undefined));
  for (const v of xmlValues(text, MAX_INPUTS)) {
    push(new FixedInput(v.kind === 'name' ? 'body-key' : 'body', v.value, `${v.kind === 'name' ? 'body-key' : 'body'}/${v.path}`.slice(0, 200), v.name));
  }
}

/**
 * A value that is an XML document, declaration first (`<?xml version="1.0"?><order …>`): a SOAP
 * envelope, a feed or an SVG carried in a field, which the upstream parses as it would an XML body.
 * Markup without the declaration (HTML, a fragment) is not read this way: the XSS detector reads it
 * as markup, and its attribute values are mostly styles and links.
 */
const XML_DECLARATION = /^\s*<\?xml[\s?]/i;

/** Kinds whose value may carry a document: values, not names, file names or the XML body itself. */
const EMBEDDING_KINDS: ReadonlySet<InputKind> = new Set<InputKind>(['path', 'query', 'body', 'header', 'cookie']);

/** The kind an embedded document's element and attribute names take, by the kind of the value holding it. */
const NAME_KIND: Readonly<Partial<Record<InputKind, InputKind>>> = { query: 'query-key', body: 'body-key', cookie: 'cookie-key' };

/** Cheap first: most values do not start with `<` (or a blank before it). */
function mayHoldXmlDocument(input: Input): boolean {
  const v = input.value;
  const c = v.charCodeAt(0);
  return (c === 60 || c <= 32 || c === 0xfeff) && EMBEDDING_KINDS.has(input.kind) && XML_DECLARATION.test(v);
}

/**
 * An XML document inside a value: its text, attribute values and names, as an XML body's are read
 * (collectXml), with the holding value's kind (names: its key kind) and `<location>/<xml path>`.
 * One level: a document inside one of these values is left to the XXE detector, which reads XML anywhere.
 */
function collectEmbeddedXml(holder: Input, add: (input: Input) => void, room: number): void {
  for (const v of xmlValues(holder.value, room)) {
    const kind = v.kind === 'name' ? NAME_KIND[holder.kind] ?? holder.kind : holder.kind;
    add(new EmbeddedInput(kind, v.value, holder, v.path, v.name));
  }
}

/** Header and cookie names that carry an apiKey credential of an operation, computed once per operation. */
const credentialNames = new WeakMap<object, { headers: ReadonlySet<string>; cookies: ReadonlySet<string> }>();
const NO_CREDENTIALS = { headers: new Set<string>(), cookies: new Set<string>() };

function credentialsOf(ctx: RequestContext): { headers: ReadonlySet<string>; cookies: ReadonlySet<string> } {
  const op = ctx.route?.operation;
  if (!op) return NO_CREDENTIALS;
  let names = credentialNames.get(op);
  if (!names) {
    const headers = new Set<string>();
    const cookies = new Set<string>();
    for (const s of op.schemes.values()) {
      if (s.type !== 'apiKey' || !s.name) continue;
      if (s.in === 'header') headers.add(s.name.toLowerCase());
      else if (s.in === 'cookie') cookies.add(s.name);
    }
    names = { headers, cookies };
    credentialNames.set(op, names);
  }
  return names;
}

function collectHeaders(ctx: RequestContext, push: (input: Input) => void): void {
  // API-key headers and cookies are credentials, whoever checks them.
  const credentials = credentialsOf(ctx);
  for (const name in ctx.headers) {
    const raw = ctx.headers[name];
    if (raw === undefined || UNSCANNED_HEADERS.has(name) || name.startsWith('sec-') || credentials.headers.has(name) || ctx.consumedHeaders?.includes(name)) continue;
    for (const v of Array.isArray(raw) ? raw : [raw]) push(new FixedInput('header', v, `header.${name.slice(0, 64)}`, name));
  }
  const cookie = headerValue(ctx, 'cookie');
  if (cookie === undefined) return;
  for (const [name, value] of parseCookieHeader(cookie)) {
    push(new FixedInput('cookie-key', name, 'cookie-key', undefined));
    if (!credentials.cookies.has(name)) push(new FixedInput('cookie', safeDecode(value), `cookie.${name.slice(0, 64)}`, name));
  }
}

class FixedInput implements Input {
  constructor(readonly kind: InputKind, readonly value: string, readonly location: string, readonly name: string | undefined, readonly urlValued = false) {}
}

/** A value read out of an XML document that another input holds (collectEmbeddedXml). */
class EmbeddedInput implements Input {
  readonly urlValued = false;
  constructor(readonly kind: InputKind, readonly value: string, private readonly holder: Input, private readonly path: string, readonly name: string) {}

  get location(): string {
    return `${this.holder.location}/${this.path}`.slice(0, 200);
  }
}

/** A position in the body: parent chain and member name or index, turned into a JSON pointer only on demand. */
interface Step { parent: Step | undefined; key: string; index?: true }

class BodyInput implements Input {
  constructor(readonly kind: 'body' | 'body-key', readonly value: string, private readonly at: Step | undefined, readonly urlValued = false) {}

  get name(): string | undefined {
    let s = this.at;
    while (s?.index) s = s.parent;
    return s?.key;
  }

  get location(): string {
    const keys: string[] = [];
    for (let s = this.at; s; s = s.parent) keys.push(s.key.replace(/~/g, '~0').replace(/\//g, '~1'));
    const pointer = keys.reverse().join('/');
    return `${this.kind}/${pointer}`.slice(0, 200);
  }
}

function walk(body: unknown, root: ScanPlan, push: (input: Input) => void): void {
  const stack: { v: unknown; at: Step | undefined; plan: ScanPlan }[] = [{ v: body, at: undefined, plan: root }];
  let visited = 0;
  while (stack.length > 0 && visited++ < MAX_WALK) {
    const { v, at, plan } = stack.pop()!;
    if (typeof v === 'string') {
      if (!plan.pinString?.(v)) push(new BodyInput('body', v, at, plan.urlValued === true));
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      const items = plan.items ?? SCAN_ALL;
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], at: { parent: at, key: String(i), index: true }, plan: items });
      continue;
    }
    const entries = Object.entries(v);
    // A member's name is reported with its object's location, like `body-key/items/0`.
    if (!plan.keysDeclared) for (const [k] of entries) push(new BodyInput('body-key', k, at));
    // Pushed last to first, so members are visited in document order.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, x] = entries[i]!;
      stack.push({ v: x, at: { parent: at, key: k }, plan: memberPlan(plan, k) });
    }
  }
}

function safeDecode(s: string): string {
  if (!s.includes('%')) return s;
  try { return decodeURIComponent(s); } catch { return s; }
}
