import type { DataClass } from '../../detect/data-classes/index.js';
import type { EndpointInventory } from '../inventory/endpoint.js';
import type { DiscoveredEndpoint, Risk, RiskFactor } from '../report/model.js';

/**
 * Risk per endpoint, 0–100: the sum of the points of the factors that apply, capped at 100.
 * Additive on purpose: a reader checks a score by adding the factors shown beside it, and the
 * weights say what the method cares about (docs/discovery.md lists them):
 *
 * | factor | points | applies when |
 * | no-auth-write | 30 | a write (POST, PUT, PATCH, DELETE) answered 2xx/3xx to a request without credentials |
 * | no-auth-sensitive | 20 | a read answered 2xx/3xx without credentials, on an endpoint whose responses carry sensitive data |
 * | auth-not-enforced | 20 | the spec requires credentials, yet a request without any was answered 2xx/3xx |
 * | sensitive-data | 15, 25 | responses carry sensitive classes; 25 when secrets (private keys, cloud secrets, password hashes, JWTs) |
 * | sensitive-in-url | 10 | sensitive classes in the path or query (they end up in logs, caches, referrers) |
 * | shadow | 20 | not declared in the spec (only with --spec: without one nothing is, and the factor says nothing) |
 * | zombie | 20 | deprecated in the spec, or an older version still called |
 * | numeric-id | 10 | an integer path parameter: guessable, enumerable object ids (BOLA, OWASP API1) |
 * | error-rate | 10 | 5xx on at least 5 % of requests (and 3 or more) |
 * | auth-failures | 5 | 401/403 on at least 20 % of requests (and 5 or more): probing, or broken clients |
 * | unusual-volume | 10 | 5× the median endpoint's requests (and 100 or more), or one caller's busiest window 10× the usual (and 30 or more) |
 * | drift | 5 | declared, but the traffic does what the spec does not say |
 * | orphan | 5 | declared, never called: surface nobody uses |
 *
 * Requests whose credentials the source did not record (auth `unknown`) count for no auth factor.
 */
export const RISK_POINTS = {
  'no-auth-write': 30, 'no-auth-sensitive': 20, 'auth-not-enforced': 20, 'sensitive-data': 15, 'sensitive-secrets': 25,
  'sensitive-in-url': 10, shadow: 20, zombie: 20, 'numeric-id': 10, 'error-rate': 10, 'auth-failures': 5, 'unusual-volume': 10,
  drift: 5, orphan: 5,
} as const;

const WRITES: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const SECRETS: ReadonlySet<DataClass> = new Set(['private-key', 'cloud-secret', 'password-hash', 'jwt']);

export interface RiskContext {
  specGiven: boolean;
  /** Requests of the median endpoint seen. */
  medianCount: number;
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

export function scoreEndpoint(d: DiscoveredEndpoint, e: EndpointInventory | undefined, ctx: RiskContext): Risk {
  const f: RiskFactor[] = [];
  const add = (id: string, points: number, detail: string) => f.push({ id, points, detail });

  if (d.status === 'orphan') add('orphan', RISK_POINTS.orphan, 'declared, never called in the window: remove it, or it is surface nobody watches');
  if (d.status === 'zombie') add('zombie', RISK_POINTS.zombie, d.reasons.filter((r) => r.startsWith('older') || r.startsWith('deprecated')).join('; '));
  if (ctx.specGiven && !d.declared && d.status !== 'orphan') add('shadow', RISK_POINTS.shadow, 'not declared in the spec: no contract is enforced on it');

  if (e) {
    const none = e.auth.find((a) => a.scheme === 'none');
    const openSuccess = none?.succeeded ?? 0;
    if (openSuccess > 0 && WRITES.has(e.method)) add('no-auth-write', RISK_POINTS['no-auth-write'], `${openSuccess} ${e.method} request${openSuccess === 1 ? '' : 's'} without credentials answered 2xx/3xx`);
    else if (openSuccess > 0 && e.dataClasses.response.length > 0) add('no-auth-sensitive', RISK_POINTS['no-auth-sensitive'], `${openSuccess} request${openSuccess === 1 ? '' : 's'} without credentials answered with ${e.dataClasses.response.join(', ')}`);
    const unenforced = d.drift.find((x) => x.kind === 'auth-not-enforced');
    if (unenforced) add('auth-not-enforced', RISK_POINTS['auth-not-enforced'], unenforced.detail);

    const secrets = e.dataClasses.response.filter((c) => SECRETS.has(c));
    if (secrets.length > 0) add('sensitive-data', RISK_POINTS['sensitive-secrets'], `responses carry secrets: ${secrets.join(', ')}${e.dataClasses.response.length > secrets.length ? ` (and ${e.dataClasses.response.filter((c) => !SECRETS.has(c)).join(', ')})` : ''}`);
    else if (e.dataClasses.response.length > 0) add('sensitive-data', RISK_POINTS['sensitive-data'], `responses carry ${e.dataClasses.response.join(', ')}`);
    const inUrl = [...new Set(e.dataClasses.fields.filter((x) => x.in === 'path' || x.in === 'query').map((x) => x.cls))];
    if (inUrl.length > 0) add('sensitive-in-url', RISK_POINTS['sensitive-in-url'], `${inUrl.join(', ')} in the URL (logged by every proxy on the way)`);

    const ids = e.path.params.filter((p) => p.kind === 'integer').map((p) => `{${p.name}}`);
    if (ids.length > 0) add('numeric-id', RISK_POINTS['numeric-id'], `integer ids in the path (${ids.join(', ')}): enumerable; check object-level authorization (BOLA)`);

    const serverShare = e.serverErrors / Math.max(1, e.count);
    if (e.serverErrors >= 3 && serverShare >= 0.05) add('error-rate', RISK_POINTS['error-rate'], `${pct(serverShare)} of requests answered 5xx (${e.serverErrors} of ${e.count})`);
    const denied = (e.statuses['401'] ?? 0) + (e.statuses['403'] ?? 0);
    if (denied >= 5 && denied / Math.max(1, e.count) >= 0.2) add('auth-failures', RISK_POINTS['auth-failures'], `${pct(denied / e.count)} of requests answered 401/403 (${denied})`);

    const volume: string[] = [];
    if (e.count >= 100 && ctx.medianCount > 0 && e.count >= 5 * ctx.medianCount) volume.push(`${e.count} requests, ${Math.round(e.count / ctx.medianCount)}× the median endpoint`);
    const r = e.rates;
    if (r && r.max >= 30 && r.max >= 10 * r.p50) volume.push(`one caller made ${r.max} requests in a ${Math.round(r.windowMs / 1000)} s window; the usual is ${r.p50}`);
    if (volume.length > 0) add('unusual-volume', RISK_POINTS['unusual-volume'], volume.join('; '));
  }
  const drift = d.drift.filter((x) => x.kind !== 'auth-not-enforced');
  if (drift.length > 0) add('drift', RISK_POINTS.drift, `${drift.length} difference${drift.length === 1 ? '' : 's'} from the spec (first: ${drift[0]!.kind} at ${drift[0]!.where})`);

  const score = Math.min(100, f.reduce((s, x) => s + x.points, 0));
  return { score, factors: f.sort((a, b) => b.points - a.points) };
}

export function medianCount(endpoints: readonly EndpointInventory[]): number {
  if (endpoints.length === 0) return 0;
  const counts = endpoints.map((e) => e.count).sort((a, b) => a - b);
  return counts[Math.floor((counts.length - 1) / 2)]!;
}
