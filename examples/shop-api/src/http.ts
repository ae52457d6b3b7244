/** Tiny HTTP helpers: replies as values, a capped body reader, and a route table with `{param}` templates. */
import type { IncomingMessage } from 'node:http';
import type { App } from './app.js';

/** Every body is capped, in both modes: the demo must not be knocked over by the tools testing it. */
export const BODY_LIMIT = 1024 * 1024;

export class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface Reply {
  status: number;
  body?: unknown;
  /** Sent as-is instead of JSON (image bytes). */
  raw?: Buffer;
  headers?: Record<string, string>;
}

export interface Ctx {
  app: App;
  req: IncomingMessage;
  url: URL;
  params: Record<string, string>;
  ip: string;
}

export type Handler = (ctx: Ctx) => Reply | Promise<Reply>;
export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface Route {
  method: Method;
  /** OpenAPI path template, e.g. `/api/v2/users/{userId}`; the spec test compares these with openapi.yaml. */
  path: string;
  operationId: string;
  handler: Handler;
  /** Deliberately undocumented (API9): served only in vulnerable mode and absent from the spec. */
  shadow?: boolean;
}

export function json(status: number, body: unknown, headers?: Record<string, string>): Reply {
  return headers === undefined ? { status, body } : { status, body, headers };
}

export function readBody(req: IncomingMessage, limit = BODY_LIMIT): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tooLarge = (): void => {
      req.removeAllListeners('data');
      req.resume(); // drain the rest so the 413 reply can still reach the client
      reject(new HttpError(413, `request body exceeds ${limit} bytes`, { connection: 'close' }));
    };
    if (Number(req.headers['content-length'] ?? 0) > limit) return tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return tooLarge();
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The media type without parameters, lower-cased (`application/json; charset=utf-8` → `application/json`). */
export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * JSON body. Secure mode insists on `application/json` (415) and answers bad JSON with 400; vulnerable mode
 * parses whatever arrives and lets a SyntaxError escape as a 500 with its stack trace (API8).
 */
export async function readJson(ctx: Ctx): Promise<unknown> {
  const raw = await readBody(ctx.req);
  if (!ctx.app.secure) return JSON.parse(raw.toString('utf8')) as unknown;
  if (mediaType(ctx.req) !== 'application/json') throw new HttpError(415, 'expected application/json');
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'malformed JSON body');
  }
}

/**
 * An integer path parameter. Secure mode accepts only a canonical positive integer (400 otherwise);
 * vulnerable mode uses parseInt, so `1 OR 1=1` reads as 1 and `abc` as NaN, like much hand-rolled code.
 */
export function idParam(ctx: Ctx, name: string): number {
  const raw = ctx.params[name] ?? '';
  if (!ctx.app.secure) return parseInt(raw, 10);
  if (!/^[1-9][0-9]{0,9}$/.test(raw) || Number(raw) > 2_147_483_647) throw new HttpError(400, `${name} must be a positive integer`);
  return Number(raw);
}

interface Compiled { route: Route; regex: RegExp; names: string[]; literal: boolean }

export type Match =
  | { kind: 'route'; route: Route; params: Record<string, string> }
  | { kind: 'method'; allow: string[] }
  | { kind: 'none' };

export class Router {
  private readonly compiled: Compiled[];

  constructor(routes: readonly Route[]) {
    // Literal routes first, so `/users/me` wins over `/users/{userId}`.
    this.compiled = routes
      .map((route) => {
        const names: string[] = [];
        const source = route.path.split(/(\{[^}]+\})/).map((part) => {
          const m = /^\{([^}]+)\}$/.exec(part);
          if (m) { names.push(m[1]!); return '([^/]+)'; }
          return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        }).join('');
        return { route, regex: new RegExp(`^${source}$`), names, literal: names.length === 0 };
      })
      .sort((a, b) => Number(b.literal) - Number(a.literal));
  }

  match(method: string, pathname: string): Match {
    const allow = new Set<string>();
    for (const c of this.compiled) {
      const m = c.regex.exec(pathname);
      if (!m) continue;
      if (c.route.method !== method) { allow.add(c.route.method); continue; }
      const params: Record<string, string> = {};
      c.names.forEach((name, i) => {
        const raw = m[i + 1]!;
        try { params[name] = decodeURIComponent(raw); } catch { params[name] = raw; }
      });
      return { kind: 'route', route: c.route, params };
    }
    return allow.size > 0 ? { kind: 'method', allow: [...allow] } : { kind: 'none' };
  }
}
