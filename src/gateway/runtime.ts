import type { AbuseState } from '../abuse/state.js';
import type { PortcullisConfig } from '../config/types.js';
import { CONTROLS } from '../controls/registry.js';
import { rejectsUndeclared, type RequestValidationConfig } from '../controls/request-validation/index.js';
import { Pipeline } from '../core/pipeline.js';
import type { KeyRegistry } from '../keys/registry.js';
import { compileSpec, type CompiledSpec } from '../openapi/compile.js';
import { loadSpec } from '../openapi/load.js';
import { ClientIpResolver } from './client-ip.js';
import { headLimits } from './request-head.js';
import { createUpstream, type UpstreamRuntime } from './upstream.js';

export interface RoutedUpstream {
  upstream: UpstreamRuntime;
  spec: CompiledSpec;
  prefix: string;
  host: string | undefined;
}

/**
 * Everything one configuration compiles to. A request reads `holder.current` once and uses
 * that snapshot to the end, so a reload never mixes two configurations in one request.
 */
export interface Runtime {
  config: PortcullisConfig;
  upstreams: RoutedUpstream[];
  pipeline: Pipeline;
  head: ReturnType<typeof headLimits>;
  clientIp: ClientIpResolver;
  /** Human-readable start-up warnings (printed once). */
  warnings: string[];
}

export interface RuntimeHolder { current: Runtime }

/** What outlives a reload: opened once per process and shared by every runtime. */
export interface RuntimeDeps {
  keys?: KeyRegistry;
  /** Control state kept across reloads (see ControlDeps.persistent). */
  persistent?: Map<string, unknown>;
  /** Block list, risk book and challenges of the process. */
  abuse?: AbuseState;
}

export async function buildRuntime(config: PortcullisConfig, deps: RuntimeDeps = {}): Promise<Runtime> {
  const rejectUndeclared = rejectsUndeclared(config.controls['request-validation'] as RequestValidationConfig | undefined);
  const warnings: string[] = [];
  const routed: RoutedUpstream[] = [];
  for (const u of config.upstreams) {
    const spec = compileSpec(await loadSpec(u.spec), { upstream: u.name, rejectUndeclared });
    routed.push({ upstream: createUpstream(u), spec, prefix: u.prefix?.replace(/\/$/, '') ?? '', host: u.host?.toLowerCase() });
    const needsJwt = spec.operations.some((op) => op.security.some((alt) => Object.keys(alt).some((n) => {
      const s = op.schemes.get(n);
      return s?.type === 'http' && s.scheme?.toLowerCase() === 'bearer';
    })));
    if (needsJwt && !config.identity.jwt) {
      warnings.push(`upstream "${u.name}": operations require bearer tokens but identity.jwt is not configured, so they will be refused with 401 (configure identity.jwt, or set controls.authentication.mode: off to let the upstream decide)`);
    }
  }
  for (const r of routed) {
    const inQuery = [...new Set(r.spec.operations.flatMap((op) => [...op.credentialQuery]))];
    if (inQuery.length > 0) {
      warnings.push(`upstream "${r.upstream.name}": API keys are sent in the query (${inQuery.join(', ')}): URLs end up in proxy logs, browser history and Referer headers; prefer a header scheme (the gateway masks them in its own logs)`);
    }
  }
  // Longest prefix first, so /api/v2 wins over /api.
  routed.sort((a, b) => b.prefix.length - a.prefix.length);
  return {
    config,
    upstreams: routed,
    pipeline: await Pipeline.create(config, CONTROLS, { ...deps, operations: routed.flatMap((r) => r.spec.operations) }),
    head: headLimits(config.limits),
    clientIp: new ClientIpResolver(config.trustedProxies),
    warnings,
  };
}

export async function closeRuntime(rt: Runtime): Promise<void> {
  await Promise.all([...rt.upstreams.map((u) => u.upstream.pool.close().catch(() => undefined)), rt.pipeline.close()]);
}

/** Pick the upstream for a canonical path and Host; returns the path as the upstream's spec sees it. */
export function selectUpstream(rt: Runtime, path: string, host: string | undefined): { routed: RoutedUpstream; specPath: string } | undefined {
  const h = host?.toLowerCase();
  for (const r of rt.upstreams) {
    if (r.host !== undefined && r.host !== h && r.host !== h?.replace(/:\d+$/, '')) continue;
    if (r.prefix === '') return { routed: r, specPath: path };
    if (path === r.prefix || path.startsWith(`${r.prefix}/`)) return { routed: r, specPath: path.slice(r.prefix.length) || '/' };
  }
  return undefined;
}
