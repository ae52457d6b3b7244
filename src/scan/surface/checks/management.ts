import { mediaType } from '../baseline.js';
import { isObject, list, namesSecret, parseJson } from '../redact.js';
import type { Answer, CheckInfo, Judgement } from '../types.js';

/** Management and monitoring endpoints of common stacks: Spring Boot actuator, Go expvar/pprof, Apache/nginx status, Prometheus. */

export const ACTUATOR: CheckInfo = {
  id: 'surface:spring-actuator',
  title: 'Spring Boot actuator endpoints exposed',
  owasp: 'API8:2023',
  cwe: 'CWE-215',
  severity: 'medium',
  remediation: 'Expose only `health` (and `info`) over the web (`management.endpoints.web.exposure.include=health`), move the rest to a separate management port bound to an internal interface, and require authentication for it.',
};

export const ACTUATOR_ENV: CheckInfo = {
  id: 'surface:spring-actuator-env',
  title: 'Spring Boot environment (actuator env/configprops) exposed',
  owasp: 'API8:2023',
  cwe: 'CWE-497',
  severity: 'high',
  remediation: 'Remove `env` and `configprops` from `management.endpoints.web.exposure.include`, keep `management.endpoint.env.show-values=NEVER`, and rotate any credential the endpoint has shown.',
};

export const GO_EXPVAR: CheckInfo = {
  id: 'surface:go-expvar',
  title: 'Go expvar (/debug/vars) exposed',
  owasp: 'API8:2023',
  cwe: 'CWE-215',
  severity: 'medium',
  remediation: 'Do not register `expvar` on the public mux (importing the package does so on http.DefaultServeMux); serve it on an internal listener. Its `cmdline` shows the process arguments, secrets passed as flags included.',
};

export const GO_PPROF: CheckInfo = {
  id: 'surface:go-pprof',
  title: 'Go pprof profiling endpoints exposed',
  owasp: 'API8:2023',
  cwe: 'CWE-215',
  severity: 'high',
  remediation: 'Do not import `net/http/pprof` into the public server (it registers on http.DefaultServeMux); serve it on a loopback-only listener. Heap and goroutine profiles reveal memory contents and internals, and CPU profiles cost the server time on demand.',
};

export const SERVER_STATUS: CheckInfo = {
  id: 'surface:server-status',
  title: 'Web server status page exposed',
  owasp: 'API8:2023',
  cwe: 'CWE-497',
  severity: 'medium',
  remediation: 'Restrict `mod_status`/`mod_info` (`Require local` or an internal address list) or nginx `stub_status` (`allow 127.0.0.1; deny all;`). Apache\'s page lists client addresses and the URLs being served, tokens in query strings included.',
};

export const PROMETHEUS_METRICS: CheckInfo = {
  id: 'surface:prometheus-metrics',
  title: 'Prometheus metrics exposed',
  owasp: 'API8:2023',
  cwe: 'CWE-497',
  severity: 'low',
  remediation: 'Serve metrics on a separate port reachable by the monitoring system only, or require a bearer token for the scrape; metric names and labels reveal routes, versions and traffic.',
};

export const ACTUATOR_PATHS = ['actuator', 'manage', 'management'] as const;
export const ACTUATOR_ENV_PATHS = ['actuator/env', 'actuator/configprops', 'env'] as const;
export const EXPVAR_PATHS = ['debug/vars'] as const;
export const PPROF_PATHS = ['debug/pprof/'] as const;
export const SERVER_STATUS_PATHS = ['server-status', 'server-info', 'nginx_status', 'stub_status'] as const;
export const METRICS_PATHS = ['metrics', 'prometheus', 'actuator/prometheus'] as const;

const ACTUATOR_ENDPOINTS = new Set(['health', 'info', 'env', 'beans', 'mappings', 'metrics', 'configprops', 'heapdump', 'threaddump', 'loggers', 'prometheus', 'conditions', 'scheduledtasks', 'caches', 'httpexchanges', 'httptrace', 'jolokia', 'shutdown', 'logfile', 'sessions', 'startup', 'auditevents', 'flyway', 'liquibase', 'refresh', 'restart', 'gateway']);
const DANGEROUS_ACTUATORS = new Set(['env', 'configprops', 'heapdump', 'threaddump', 'jolokia', 'shutdown', 'logfile', 'httptrace', 'httpexchanges', 'sessions', 'restart', 'refresh', 'gateway']);

/** The actuator index: a HAL `_links` object naming actuator endpoints, with hrefs under the actuator path. */
export function judgeActuator(a: Answer): Judgement | undefined {
  if (a.status !== 200) return undefined;
  const doc = parseJson(a.body);
  if (!isObject(doc) || !isObject(doc['_links'])) return undefined;
  const links = doc['_links'];
  const names = Object.keys(links).filter((k) => !k.startsWith('self') && ACTUATOR_ENDPOINTS.has(k.split('-')[0]!));
  if (names.length === 0) return undefined;
  const hrefs = Object.values(links).map((l) => (isObject(l) && typeof l['href'] === 'string' ? l['href'] : ''));
  if (!hrefs.some((h) => /\/(?:actuator|manage|management)(?:\/|$)/.test(h)) && !/\/(?:actuator|manage|management)\/?$/.test(a.path)) return undefined;
  const dangerous = names.filter((n) => DANGEROUS_ACTUATORS.has(n));
  return {
    evidence: `actuator index lists ${names.length} endpoints: ${list(names, 8)}`,
    severity: dangerous.length > 0 ? 'high' : 'medium',
  };
}

interface EnvProperty { name: string; value: unknown }

function envProperties(doc: Record<string, unknown>): { sources: string[]; props: EnvProperty[] } | undefined {
  // Boot 2+: { activeProfiles, propertySources: [{ name, properties: { key: { value } } }] }
  if (Array.isArray(doc['propertySources'])) {
    const sources: string[] = [];
    const props: EnvProperty[] = [];
    for (const s of doc['propertySources'].slice(0, 100)) {
      if (!isObject(s) || typeof s['name'] !== 'string') continue;
      sources.push(s['name']);
      if (!isObject(s['properties'])) continue;
      for (const [name, p] of Object.entries(s['properties']).slice(0, 2000)) props.push({ name, value: isObject(p) ? p['value'] : p });
    }
    return sources.length > 0 ? { sources, props } : undefined;
  }
  // Boot 1: { profiles: [], systemProperties: {…}, systemEnvironment: {…}, "applicationConfig: [...]": {…} }
  if (Array.isArray(doc['profiles']) && (isObject(doc['systemProperties']) || isObject(doc['systemEnvironment']))) {
    const sources = Object.keys(doc).filter((k) => k !== 'profiles' && isObject(doc[k]));
    const props = sources.flatMap((k) => Object.entries(doc[k] as Record<string, unknown>).slice(0, 2000).map(([name, value]) => ({ name, value })));
    return { sources, props };
  }
  return undefined;
}

/** The actuator `env` (or Boot 1 `/env`, or `configprops`) document; secrets are counted, never shown. */
export function judgeActuatorEnv(a: Answer): Judgement | undefined {
  if (a.status !== 200) return undefined;
  const doc = parseJson(a.body);
  if (!isObject(doc)) return undefined;
  const env = envProperties(doc);
  if (env !== undefined) {
    const secret = env.props.filter((p) => namesSecret(p.name));
    const clear = secret.filter((p) => (typeof p.value === 'string' && p.value !== '' && !/^\*+$/.test(p.value)) || typeof p.value === 'number');
    const note = secret.length === 0 ? '' : clear.length > 0
      ? `; ${clear.length} credential-named properties in clear (${list(clear.map((p) => p.name), 4)}; values withheld)`
      : `; ${secret.length} credential-named properties, masked by the server`;
    return {
      evidence: `environment with ${env.sources.length} property sources (${list(env.sources, 3)}), ${env.props.length} properties${note}`,
      severity: clear.length > 0 ? 'critical' : 'high',
    };
  }
  // configprops: { contexts: { app: { beans: { x: { prefix, properties } } } } }
  if (isObject(doc['contexts']) && Object.values(doc['contexts']).some((c) => isObject(c) && isObject(c['beans']))) {
    const beans = Object.values(doc['contexts']).flatMap((c) => (isObject(c) && isObject(c['beans']) ? Object.keys(c['beans']) : []));
    return { evidence: `configuration properties of ${beans.length} beans`, title: 'Spring Boot configuration properties (actuator configprops) exposed' };
  }
  return undefined;
}

/** Go's expvar: a JSON object with `cmdline` (the process arguments) and `memstats`. */
export function judgeExpvar(a: Answer): Judgement | undefined {
  if (a.status !== 200) return undefined;
  const doc = parseJson(a.body);
  if (!isObject(doc) || !Array.isArray(doc['cmdline']) || !isObject(doc['memstats'])) return undefined;
  const others = Object.keys(doc).filter((k) => k !== 'cmdline' && k !== 'memstats');
  return { evidence: `expvar document: cmdline (${doc['cmdline'].length} arguments, withheld), memstats${others.length ? `, ${list(others, 5)}` : ''}` };
}

/** net/http/pprof's index page. */
export function judgePprof(a: Answer): Judgement | undefined {
  if (a.status !== 200 || !/Types of profiles available|\/debug\/pprof\/goroutine|href=["']?goroutine\?debug=1/i.test(a.body)) return undefined;
  const profiles = [...new Set([...a.body.matchAll(/href=["']?(allocs|block|cmdline|goroutine|heap|mutex|profile|threadcreate|trace)\b/g)].map((m) => m[1]!))];
  return { evidence: `pprof index${profiles.length ? ` (profiles: ${list(profiles, 8)})` : ''}` };
}

/** Apache mod_status / mod_info pages, nginx stub_status. */
export function judgeServerStatus(a: Answer): Judgement | undefined {
  if (a.status !== 200) return undefined;
  if (/<title>Apache Status<\/title>|<h1>Apache Server Status for/i.test(a.body)) {
    const requests = /(\d+) requests currently being processed/.exec(a.body);
    return { evidence: `Apache server-status page${requests ? ` (${requests[1]} requests being processed, with their clients and URLs)` : ''}` };
  }
  if (/<title>Server Information<\/title>|<h1[^>]*>Apache Server Information<\/h1>/i.test(a.body)) return { evidence: 'Apache server-info page (modules and configuration)' };
  const stub = /^Active connections:\s*(\d+)\s*\n\s*server accepts handled requests/m.exec(a.body);
  if (stub) return { evidence: `nginx stub_status (${stub[1]} active connections)`, severity: 'low' };
  return undefined;
}

/** The Prometheus text exposition format: `# HELP` and `# TYPE` lines and samples. Only family names are reported. */
export function judgeMetrics(a: Answer): Judgement | undefined {
  if (a.status !== 200 || /html/.test(mediaType(a))) return undefined;
  const types = [...a.body.matchAll(/^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped|info|stateset|gaugehistogram)\s*$/gm)].map((m) => m[1]!);
  if (types.length === 0 || !/^# HELP [a-zA-Z_:]/m.test(a.body)) return undefined;
  const sample = new RegExp(`^${types[0]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:_[a-z]+)?(?:\\{[^\\n]*\\})? [-+0-9.eEINaf]+`, 'm');
  if (!sample.test(a.body)) return undefined;
  return { evidence: `Prometheus metrics: ${types.length}${a.truncated ? '+' : ''} families (${list(types, 6)})` };
}
