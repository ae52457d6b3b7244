import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { isIP } from 'node:net';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import { openAbuseState } from '../abuse/open.js';
import type { AbuseState } from '../abuse/state.js';
import { createAdminServer } from '../admin/server.js';
import { DEFAULT_EVENTS, DEFAULT_TRAFFIC_SAMPLES } from '../config/defaults.js';
import { loadConfigFile, validateConfig } from '../config/load.js';
import type { PortcullisConfig } from '../config/types.js';
import { PortcullisError } from '../errors.js';
import { createLogger } from '../events/logger.js';
import { redisFallbacksTotal } from '../controls/rate-limit/index.js';
import { GatewayMetrics } from '../events/metrics.js';
import { EventCoalescer } from '../events/coalesce.js';
import { EventSink } from '../events/sink.js';
import { KeyRegistry } from '../keys/registry.js';
import { openEventStore, openKeyStore, openTrafficStore } from '../store/open.js';
import type { EventStore, KeyStore, TrafficStore } from '../store/ports.js';
import { TrafficSampler } from './traffic-sampler.js';
import { buildRuntime, closeRuntime, type Runtime, type RuntimeHolder } from './runtime.js';
import { challengeEndpoint } from './challenge-endpoint.js';
import { createGatewayServer } from './server.js';
import { hstsHeader, tlsOptions } from './tls.js';
import type { Server as HttpsServer } from 'node:https';

export interface StartOptions {
  /** A validated config, a raw config object (validated here), or neither when `configFile` is given. */
  config?: PortcullisConfig | Record<string, unknown>;
  configFile?: string;
  logLevel?: string;
  logger?: Logger;
}

export interface RunningGateway {
  url: string;
  port: number;
  adminUrl: string;
  adminPort: number;
  adminToken: string;
  /** True when the admin token was generated (the CLI prints it once). */
  adminTokenGenerated: boolean;
  config: PortcullisConfig;
  store: EventStore;
  keyStore: KeyStore;
  keys: KeyRegistry;
  sink: EventSink;
  /** Discovery's traffic samples; undefined when `discovery.sample` is off. */
  traffic: TrafficSampler | undefined;
  trafficStore: TrafficStore | undefined;
  metrics: GatewayMetrics;
  /** Block list, risk book and challenges (shared across reloads). */
  abuse: AbuseState;
  warnings: string[];
  /** Rebuild from the config file (or the given config) off the hot path; keeps the old one on error. */
  reload(next?: PortcullisConfig | Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

export async function startGateway(opts: StartOptions): Promise<RunningGateway> {
  const config = resolveConfig(opts);
  const logger = opts.logger ?? createLogger(opts.logLevel ?? process.env.PORTCULLIS_LOG_LEVEL ?? config.log.level);
  const adminListen = parseListen(config.admin.listen, 'admin.listen');
  const explicitToken = config.admin.token ?? process.env.PORTCULLIS_ADMIN_TOKEN;
  if (!explicitToken && !isLoopback(adminListen.host)) {
    throw new PortcullisError('PC_ERR_ADMIN_INSECURE', `the admin listener ${config.admin.listen} is not on loopback and no admin token is set`, {
      where: 'admin.listen', hint: 'Set PORTCULLIS_ADMIN_TOKEN (or admin.token), or bind the admin port to 127.0.0.1.',
    });
  }
  const adminToken = explicitToken ?? randomBytes(24).toString('base64url');
  const listen = parseListen(config.listen, 'listen');

  const store = await openEventStore(config.store);
  const keyStore = await openKeyStore(config.store).catch(async (e: unknown) => {
    await store.close().catch(() => undefined);
    throw e;
  });
  // Keys outlive reloads: one registry per process, handed to every runtime.
  const keys = new KeyRegistry(keyStore, config.identity.apiKeys);
  // So does control state a reload must not reset (rate-limit buckets).
  const persistent = new Map<string, unknown>();
  let runtime: Runtime;
  let abuse: AbuseState | undefined;
  try {
    await keys.start();
    abuse = await openAbuseState(config);
    runtime = await buildRuntime(config, { keys, persistent, abuse });
  } catch (e) {
    await abuse?.close().catch(() => undefined);
    keys.close();
    await keyStore.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw e;
  }
  // Samples are best effort: a traffic store that cannot open is a warning, not a failed start.
  let trafficStore: TrafficStore | undefined;
  if (config.discovery.sample) {
    trafficStore = await openTrafficStore(config.store, { maxRecords: config.discovery.maxRecords }).catch((err: unknown) => {
      logger.warn({ err: { type: (err as Error)?.name, message: (err as Error)?.message } }, 'traffic samples disabled: the store could not be opened');
      return undefined;
    });
  }
  const traffic = trafficStore ? new TrafficSampler(trafficStore, {
    ...DEFAULT_TRAFFIC_SAMPLES, bodySampleRate: config.discovery.bodySampleRate, maxStoredBodyBytes: config.discovery.maxBodyBytes,
    onError: (err) => logger.warn({ err: { type: (err as Error)?.name, message: (err as Error)?.message } }, 'traffic samples dropped'),
  }) : undefined;
  const holder: RuntimeHolder = { current: runtime };
  const spoolDir = config.store.startsWith('sqlite:') ? join(dirname(config.store.slice(7)), 'spool') : join(config.baseDir, DEFAULT_EVENTS.spoolDir);
  const sink = new EventSink(store, { ...DEFAULT_EVENTS, spoolDir, onError: (err) => logger.warn({ err: { type: (err as Error)?.name, message: (err as Error)?.message } }, 'event store write failed; spooling') });
  const metrics = new GatewayMetrics(() => sink.stats, { redisFallbacks: redisFallbacksTotal, traffic: traffic ? () => traffic.stats : undefined });
  const modifiedEvents = new EventCoalescer((e) => sink.emit(e), DEFAULT_EVENTS.coalesce);
  const tls = config.tls ? tlsOptions(config.tls) : undefined;
  const hsts = hstsHeader(config.tls);
  const gw = createGatewayServer({
    holder, sink, metrics, logger, limits: config.limits, draining: () => false, tls, modifiedEvents, abuse, traffic,
    challenges: challengeEndpoint(abuse, { demoPage: config.challenge.demoPage }),
    addHeaders: hsts ? [['strict-transport-security', hsts]] : [],
  });
  let ready = false;
  const admin = createAdminServer({ token: adminToken, store, keyStore, keys, sink, metrics, abuse, ready: () => ready });
  let port: number;
  let adminPort: number;
  try {
    port = await listenOn(gw.server, listen.host, listen.port, 'listen');
    adminPort = await listenOn(admin, adminListen.host, adminListen.port, 'admin.listen').catch((e: unknown) => {
      gw.server.close();
      throw e;
    });
  } catch (e) {
    // Nothing may keep the process alive after a failed start (a store pool, upstream pools).
    modifiedEvents.close();
    await sink.close().catch(() => undefined);
    await traffic?.close().catch(() => undefined);
    await trafficStore?.close().catch(() => undefined);
    keys.close();
    await keyStore.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    await closeRuntime(runtime).catch(() => undefined);
    await abuse.close().catch(() => undefined);
    throw e;
  }
  ready = true;
  for (const w of runtime.warnings) logger.warn(w);

  let closed = false;
  const superseded = new Set<Runtime>();
  return {
    url: `${tls ? 'https' : 'http'}://${urlHost(listen.host)}:${port}`,
    port,
    adminUrl: `http://${urlHost(adminListen.host)}:${adminPort}`,
    adminPort,
    adminToken,
    adminTokenGenerated: !explicitToken,
    get config() { return holder.current.config; },
    store, keyStore, keys, sink, traffic, trafficStore, metrics, abuse,
    warnings: runtime.warnings,
    async reload(next) {
      try {
        const cfg = next ? resolveConfig({ config: next }) : resolveConfig({ configFile: holder.current.config.file ?? opts.configFile });
        if (Boolean(cfg.tls) !== Boolean(tls)) {
          throw new PortcullisError('PC_ERR_RELOAD_FAILED', 'tls cannot be switched on or off by a reload', { where: 'tls', hint: 'Restart the gateway to change between http and https.' });
        }
        // Certificates are re-read, so a renewed one takes effect without a restart.
        const nextTls = cfg.tls ? tlsOptions(cfg.tls) : undefined;
        const built = await buildRuntime(cfg, { keys, persistent, abuse });
        if (nextTls) (gw.server as HttpsServer).setSecureContext(nextTls);
        const old = holder.current;
        holder.current = built;
        metrics.reloads.inc({ result: 'ok' });
        // Requests in flight keep their snapshot; the old pools close (gracefully) a drain period later.
        superseded.add(old);
        setTimeout(() => { superseded.delete(old); void closeRuntime(old); }, config.limits.drainTimeoutMs).unref();
      } catch (err) {
        metrics.reloads.inc({ result: 'failed' });
        throw err instanceof PortcullisError ? err : new PortcullisError('PC_ERR_RELOAD_FAILED', `reload failed: ${(err as Error).message}`, { cause: err });
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      ready = false;
      await gw.drain(config.limits.drainTimeoutMs);
      await new Promise<void>((r) => admin.close(() => r()));
      admin.closeAllConnections();
      await Promise.all([holder.current, ...superseded].map((rt) => closeRuntime(rt)));
      superseded.clear();
      modifiedEvents.close();
      await sink.close();
      await traffic?.close().catch(() => undefined);
      await trafficStore?.close().catch(() => undefined);
      await abuse.close();
      keys.close();
      await keyStore.close();
      await store.close();
      logger.flush?.();
    },
  };
}

function resolveConfig(opts: StartOptions): PortcullisConfig {
  if (opts.config) {
    const c = opts.config as Partial<PortcullisConfig>;
    if (typeof c.baseDir === 'string' && c.limits && c.controls) return c as PortcullisConfig;
    return validateConfig(opts.config, { baseDir: process.cwd() });
  }
  if (opts.configFile) return loadConfigFile(opts.configFile);
  throw new PortcullisError('PC_ERR_CLI_USAGE', 'no configuration given', { hint: 'Pass --config portcullis.yaml, or --to and --spec.' });
}

export function parseListen(v: string, where: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s]+)):([0-9]{1,5})$/.exec(v);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) {
    throw new PortcullisError('PC_ERR_CONFIG_INVALID', `${where}: "${v}" is not host:port`, { where, hint: 'For example 127.0.0.1:8000 or [::1]:8000 (port 0 picks a free port).' });
  }
  return { host: m[1] ?? m[2]!, port };
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

function urlHost(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

function listenOn(server: Server, host: string, port: number, where: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      reject(new PortcullisError('PC_ERR_LISTEN', `cannot listen on ${host}:${port}: ${err.code ?? err.message}`, { where, hint: err.code === 'EADDRINUSE' ? 'Another process uses that port: pick another with --listen / --admin.' : undefined, cause: err }));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}
