import type { Mode } from '../core/phases.js';
import type { IntrospectionConfig } from '../controls/authentication/introspection.js';
import type { Limits, UpstreamTimeouts } from './defaults.js';

export interface UpstreamConfig {
  name: string;
  url: string;
  /** Absolute path of the OpenAPI document. */
  spec: string;
  prefix?: string;
  host?: string;
  timeouts: UpstreamTimeouts;
}

export interface JwtIssuerConfig {
  issuer: string;
  audience?: string | string[];
  algorithms: string[];
  secret?: string;
  publicKeyFile?: string;
  jwksUrl?: string;
  jwksFile?: string;
  jwks: { timeoutMs: number; cooldownMs: number; cacheMaxAgeMs: number; maxBytes: number; staleIfErrorMs: number; retryAfterMs: number };
  requiredClaims?: string[];
  maxTokenAgeSec?: number;
  rolesClaim: string;
}

export interface OperationOverride {
  mode?: Mode;
  controls?: Record<string, Mode>;
  bodyBytes?: number;
  /** Sensitive-data classes this operation may return (instead of x-portcullis-data-classes). */
  dataClasses?: string[];
  /** Roles of which the caller needs one (instead of x-portcullis-roles; [] makes the operation role-free). */
  roles?: string[];
}

export interface TlsConfig {
  cert: string;
  key: string;
  clientCa?: string;
  clientCert: 'off' | 'optional' | 'required';
  minVersion: 'TLSv1.2' | 'TLSv1.3';
  hstsMaxAgeSec: number;
  hstsIncludeSubDomains: boolean;
}

/** The validated configuration, defaults applied and paths absolute. */
export interface PortcullisConfig {
  mode: 'block' | 'monitor';
  listen: string;
  tls?: TlsConfig;
  admin: { listen: string; token?: string };
  store: string;
  redis?: string;
  /** Proof-of-work challenges: the signing key (random per process when unset), lifetime, the browser demo. */
  challenge: { hmacKey?: string; expiresSec: number; demoPage: boolean };
  trustedProxies: string[];
  upstreams: UpstreamConfig[];
  controls: Record<string, { mode?: Mode } & Record<string, unknown>>;
  operations: Record<string, OperationOverride>;
  limits: Limits;
  identity: {
    apiKeys: { refreshMs: number; maxStaleMs: number };
    jwt?: { clockToleranceSec: number; verifiedCacheSec: number; verifiedCacheEntries: number; issuers: JwtIssuerConfig[] };
    introspection?: IntrospectionConfig;
  };
  /** Traffic samples for discovery (see the schema's descriptions). */
  discovery: { sample: boolean; bodySampleRate: number; maxBodyBytes: number; maxRecords: number };
  log: { level: 'silent' | 'error' | 'warn' | 'info' | 'debug' };
  /** Directory that relative paths were resolved against. */
  baseDir: string;
  /** The file it came from, when it came from one. */
  file?: string;
}
