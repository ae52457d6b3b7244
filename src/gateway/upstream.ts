import { Pool } from 'undici';
import type { UpstreamConfig } from '../config/types.js';
import { PortcullisError } from '../errors.js';

/** One upstream: its pooled client and the fixed parts of every forwarded request. */
export interface UpstreamRuntime {
  name: string;
  pool: Pool;
  /** Host header the upstream receives: always the configured one (CATALOGUE D3, C8). */
  hostHeader: string;
  /** Path prefix of the upstream URL, prepended to the canonical path ('' when none). */
  basePath: string;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  maxResponseBytes: number;
}

export function createUpstream(cfg: UpstreamConfig): UpstreamRuntime {
  let url: URL;
  try {
    url = new URL(cfg.url);
  } catch {
    throw new PortcullisError('PC_ERR_UPSTREAM_URL', `upstream "${cfg.name}": "${cfg.url}" is not a URL`, { where: `upstreams.${cfg.name}.url`, hint: 'Use an absolute URL such as http://127.0.0.1:3000' });
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || url.search || url.hash) {
    throw new PortcullisError('PC_ERR_UPSTREAM_URL', `upstream "${cfg.name}": "${cfg.url}" must be http(s)://host[:port][/path] without credentials, query or fragment`, { where: `upstreams.${cfg.name}.url` });
  }
  const t = cfg.timeouts;
  const pool = new Pool(url.origin, {
    connections: t.connections,
    connect: { timeout: t.connectMs },
    headersTimeout: t.headersMs,
    bodyTimeout: t.bodyMs,
    // Below Node's 5 s server keep-alive so we never reuse a socket the upstream is closing.
    keepAliveTimeout: 4_000,
    keepAliveMaxTimeout: 4_000,
    maxResponseSize: t.maxResponseBytes,
    pipelining: 1,
  });
  return {
    name: cfg.name,
    pool,
    hostHeader: url.host,
    basePath: url.pathname === '/' ? '' : url.pathname.replace(/\/$/, ''),
    headersTimeoutMs: t.headersMs,
    bodyTimeoutMs: t.bodyMs,
    maxResponseBytes: t.maxResponseBytes,
  };
}
