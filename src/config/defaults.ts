/**
 * Every limit has a named default (CATALOGUE.md §3). The config schema, the docs table and the
 * gateway all read these, so a default lives in exactly one place.
 */
export const DEFAULT_LIMITS = {
  requestTargetBytes: 8 * 1024,
  headerBytes: 16 * 1024,
  headerValueBytes: 8 * 1024,
  headerCount: 100,
  bodyBytes: 1024 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  bodyIdleTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  connectionsCheckingIntervalMs: 1_000,
  maxRequestsPerSocket: 1_000,
  connections: 10_000,
  connectionsPerIp: 256,
  queryParams: 100,
  jsonDepth: 64,
  jsonKeys: 1_000,
  jsonItems: 10_000,
  jsonNodes: 100_000,
  jsonNumberLength: 100,
  multipartParts: 100,
  multipartFields: 100,
  multipartPartHeaderBytes: 8 * 1024,
  chunkExtensionBytes: 16 * 1024,
  drainTimeoutMs: 30_000,
} as const;

export type Limits = { -readonly [K in keyof typeof DEFAULT_LIMITS]: number };

export const DEFAULT_UPSTREAM_TIMEOUTS = {
  connectMs: 5_000,
  headersMs: 30_000,
  bodyMs: 30_000,
  maxResponseBytes: 10 * 1024 * 1024,
  connections: 64,
} as const;

export type UpstreamTimeouts = { -readonly [K in keyof typeof DEFAULT_UPSTREAM_TIMEOUTS]: number };

export const DEFAULT_LISTEN = '127.0.0.1:8000';
export const DEFAULT_ADMIN_LISTEN = '127.0.0.1:8001';
export const DEFAULT_STORE = 'sqlite:.portcullis/portcullis.db';

export const DEFAULT_EVENTS = {
  queueSize: 10_000,
  batchSize: 200,
  flushIntervalMs: 250,
  spoolDir: '.portcullis/spool',
} as const;
