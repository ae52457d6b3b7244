import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * A HAR 1.2 recorder for test fixtures: every exchange a scripted client makes is kept as a HAR
 * entry (request and response headers as sent and received, query string, bodies, status, timings),
 * the way a browser's dev tools or a recording proxy would export it. Requests go out through
 * node:http with exactly the headers given, so what the HAR says was sent is what was sent.
 */

export interface HarNameValue { name: string; value: string }
export interface HarPostParam { name: string; value?: string; fileName?: string; contentType?: string }

export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: {
    method: string; url: string; httpVersion: string; cookies: HarNameValue[]; headers: HarNameValue[];
    queryString: HarNameValue[]; postData?: { mimeType: string; text?: string; params?: HarPostParam[] };
    headersSize: number; bodySize: number;
  };
  response: {
    status: number; statusText: string; httpVersion: string; cookies: HarNameValue[]; headers: HarNameValue[];
    content: { size: number; mimeType: string; text?: string; encoding?: 'base64' };
    redirectURL: string; headersSize: number; bodySize: number;
  };
  cache: Record<string, never>;
  timings: { blocked: number; dns: number; connect: number; send: number; wait: number; receive: number; ssl: number };
  serverIPAddress: string;
  connection: string;
  comment?: string;
}

export interface Har {
  log: { version: '1.2'; creator: { name: string; version: string }; entries: HarEntry[]; comment?: string };
}

export interface SendOptions {
  token?: string;
  json?: unknown;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  /** One file part, sent as multipart/form-data. */
  file?: { field: string; fileName: string; contentType: string; data: Buffer };
  headers?: Record<string, string>;
  /** Why the script makes this call, kept as the entry's comment. */
  comment?: string;
}

export interface Exchange {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The body parsed, when it is JSON. */
  json: unknown;
}

const TEXTUAL = /^(?:text\/|application\/(?:[\w.+-]*\+)?(?:json|xml|x-www-form-urlencoded|javascript)\b)/i;

function pairs(raw: readonly string[]): HarNameValue[] {
  const out: HarNameValue[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push({ name: raw[i]!, value: raw[i + 1]! });
  return out;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

export class HarRecorder {
  readonly entries: HarEntry[] = [];
  private readonly origin: URL;

  constructor(baseUrl: string, private readonly userAgent = 'portcullis-har-recorder/1.0') {
    this.origin = new URL(baseUrl);
  }

  async send(method: string, path: string, opts: SendOptions = {}): Promise<Exchange> {
    const url = new URL(path, this.origin);
    const headers: Record<string, string> = { Host: url.host, 'User-Agent': this.userAgent, Accept: 'application/json' };
    let body: Buffer | undefined;
    let postData: HarEntry['request']['postData'];
    if (opts.json !== undefined) {
      const text = JSON.stringify(opts.json);
      body = Buffer.from(text);
      headers['Content-Type'] = 'application/json';
      postData = { mimeType: 'application/json', text };
    } else if (opts.form !== undefined) {
      const text = new URLSearchParams(opts.form).toString();
      body = Buffer.from(text);
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      postData = { mimeType: 'application/x-www-form-urlencoded', text, params: Object.entries(opts.form).map(([name, value]) => ({ name, value })) };
    } else if (opts.file !== undefined) {
      const f = opts.file;
      const boundary = `----portcullis${randomBytes(8).toString('hex')}`;
      body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.fileName}"\r\nContent-Type: ${f.contentType}\r\n\r\n`),
        f.data,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      headers['Content-Type'] = `multipart/form-data; boundary=${boundary}`;
      // Binary parts are described, not inlined (HAR's params carry no bytes for files).
      postData = { mimeType: headers['Content-Type'], params: [{ name: f.field, fileName: f.fileName, contentType: f.contentType }] };
    }
    if (body !== undefined) headers['Content-Length'] = String(body.length);
    if (opts.token !== undefined) headers['Authorization'] = `Bearer ${opts.token}`;
    Object.assign(headers, opts.headers);

    const startedDateTime = new Date().toISOString();
    const t0 = performance.now();
    const { res, data, sent, first, done, port } = await new Promise<{ res: import('node:http').IncomingMessage; data: Buffer; sent: number; first: number; done: number; port: number }>((resolve, reject) => {
      let sentAt = t0;
      const req = request({ host: url.hostname, port: url.port, method, path: `${url.pathname}${url.search}`, headers, agent: false }, (response) => {
        const firstAt = performance.now();
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => resolve({ res: response, data: Buffer.concat(chunks), sent: sentAt, first: firstAt, done: performance.now(), port: req.socket?.localPort ?? 0 }));
        response.on('error', reject);
      });
      req.on('error', reject);
      req.on('finish', () => { sentAt = performance.now(); });
      req.end(body);
    });
    const mimeType = res.headers['content-type'] ?? 'x-unknown';
    const textual = TEXTUAL.test(mimeType);
    const timings = { blocked: -1, dns: -1, connect: -1, send: round(sent - t0), wait: round(first - sent), receive: round(done - first), ssl: -1 };
    this.entries.push({
      startedDateTime,
      time: round(timings.send + timings.wait + timings.receive),
      request: {
        method, url: url.href, httpVersion: 'HTTP/1.1', cookies: [],
        headers: Object.entries(headers).map(([name, value]) => ({ name, value })),
        queryString: [...url.searchParams].map(([name, value]) => ({ name, value })),
        ...(postData ? { postData } : {}),
        headersSize: -1, bodySize: body?.length ?? 0,
      },
      response: {
        status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', httpVersion: `HTTP/${res.httpVersion}`, cookies: [],
        headers: pairs(res.rawHeaders),
        content: { size: data.length, mimeType, ...(data.length === 0 ? {} : textual ? { text: data.toString('utf8') } : { text: data.toString('base64'), encoding: 'base64' as const }) },
        redirectURL: typeof res.headers.location === 'string' ? res.headers.location : '', headersSize: -1, bodySize: data.length,
      },
      cache: {},
      timings,
      serverIPAddress: url.hostname,
      connection: String(port),
      ...(opts.comment ? { comment: opts.comment } : {}),
    });
    let parsed: unknown;
    if (/json/i.test(mimeType)) {
      try { parsed = JSON.parse(data.toString('utf8')) as unknown; } catch { parsed = undefined; }
    }
    return { status: res.statusCode ?? 0, headers: res.headers, body: data, json: parsed };
  }

  toHar(comment?: string): Har {
    return { log: { version: '1.2', creator: { name: 'portcullis-har-recorder', version: '1.0' }, entries: [...this.entries], ...(comment ? { comment } : {}) } };
  }

  write(file: string, comment?: string): void {
    writeFileSync(file, `${JSON.stringify(this.toHar(comment), null, 2)}\n`);
  }
}
