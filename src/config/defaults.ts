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
  responseInspectBytes: 2 * 1024 * 1024,
  drainTimeoutMs: 30_000,
} as const;

export type Limits = { -readonly [K in keyof typeof DEFAULT_LIMITS]: number };

/** What each limit bounds and the answer when it is exceeded (shown in docs/configuration.md). */
export const LIMIT_DOCS: Readonly<Record<keyof typeof DEFAULT_LIMITS, string>> = {
  requestTargetBytes: 'Longest request target (path + query). 414.',
  headerBytes: 'All header names and values together (Node maxHeaderSize). 431.',
  headerValueBytes: 'Longest single header value. 431.',
  headerCount: 'Most header fields (counted from rawHeaders). 431.',
  bodyBytes: 'Largest request body; per operation: operations.<id>.bodyBytes. 413.',
  headersTimeoutMs: 'Time to receive the request head. 408.',
  requestTimeoutMs: 'Time to receive the whole request, body included. 408.',
  bodyIdleTimeoutMs: 'Longest pause between body chunks. 408.',
  keepAliveTimeoutMs: 'Idle keep-alive connections are closed after this.',
  connectionsCheckingIntervalMs: 'How often Node checks the request timeouts.',
  maxRequestsPerSocket: 'Requests per client connection before it is closed.',
  connections: 'Open client connections in all. Closed beyond.',
  connectionsPerIp: 'Open client connections per client IP. Closed beyond.',
  queryParams: 'Most query (and form) parameters. 400.',
  jsonDepth: 'Deepest JSON nesting. 400.',
  jsonKeys: 'Most keys in one JSON object. 400.',
  jsonItems: 'Most items in one JSON array. 400.',
  jsonNodes: 'Most JSON values in one body. 400.',
  jsonNumberLength: 'Longest JSON number literal. 400.',
  multipartParts: 'Most multipart parts. 400.',
  multipartFields: 'Most multipart fields. 400.',
  multipartPartHeaderBytes: 'Largest multipart part header block. 400.',
  chunkExtensionBytes: 'Chunk extensions in a chunked body (never forwarded). 400.',
  responseInspectBytes: 'Largest upstream response body (decoded) buffered for the response controls. Beyond it: 502 where a control enforces, relayed unchecked and flagged where all only monitor.',
  drainTimeoutMs: 'On SIGTERM, how long in-flight requests may finish before sockets are closed.',
};

export const DEFAULT_UPSTREAM_TIMEOUTS = {
  connectMs: 5_000,
  headersMs: 30_000,
  bodyMs: 30_000,
  maxResponseBytes: 10 * 1024 * 1024,
  connections: 64,
} as const;

export type UpstreamTimeouts = { -readonly [K in keyof typeof DEFAULT_UPSTREAM_TIMEOUTS]: number };

export const UPSTREAM_TIMEOUT_DOCS: Readonly<Record<keyof typeof DEFAULT_UPSTREAM_TIMEOUTS, string>> = {
  connectMs: 'Time to connect to the upstream. 504.',
  headersMs: 'Time until the upstream sends its response head. 504.',
  bodyMs: 'Longest pause in the upstream response body. 504 (or a cut connection once relaying).',
  maxResponseBytes: 'Largest upstream response. 502.',
  connections: 'Pooled connections to this upstream.',
};

export const DEFAULT_LISTEN = '127.0.0.1:8000';
export const DEFAULT_ADMIN_LISTEN = '127.0.0.1:8001';
export const DEFAULT_STORE = 'sqlite:.portcullis/portcullis.db';

/** The traffic sampler's queue (discovery samples): dropped, not spooled, past queueSize. */
export const DEFAULT_TRAFFIC_SAMPLES = { queueSize: 20_000, batchSize: 500, flushIntervalMs: 1_000 } as const;

export const DEFAULT_EVENTS = {
  queueSize: 10_000,
  batchSize: 200,
  flushIntervalMs: 250,
  spoolDir: '.portcullis/spool',
  /** `modified` events (stripped or masked data): repeats within a minute become one summary. */
  coalesce: { windowMs: 60_000, maxKeys: 10_000 },
} as const;
