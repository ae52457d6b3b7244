import type { ControlFactory } from '../../core/control.js';
import type { RequestContext } from '../../core/context.js';
import { PASS, type Verdict } from '../../core/verdict.js';
import { classifyAddress, PinnedResolver, urlTarget } from '../../detect/ssrf/index.js';
import { collectInputs } from '../shared/inputs.js';

export const RULE_SSRF = 'injection/ssrf';
export const RULE_SSRF_UNRESOLVED = 'injection/ssrf-unresolved';

export interface SsrfGuardConfig {
  /** Schemes a URL input may use (default http, https). */
  schemes?: string[];
  /** Host names (exact, lower-case) a URL input may name even where they resolve inward (your own webhook receiver). */
  allowHosts?: string[];
  /** How long a resolved answer is pinned (default 30 s). */
  dnsTtlSec?: number;
  dnsTimeoutMs?: number;
}


interface Candidate { where: string; value: string }

/**
 * Server-side request forgery (OWASP API7): every URL-valued input (any query value, form
 * field or JSON string that is an absolute URL) must name a public address over an allowed
 * scheme. Literal addresses are judged in every spelling WHATWG URL accepts (decimal, octal, hex,
 * IPv6-mapped); names are resolved like the upstream would and every address must be public,
 * with the answer pinned for a while so a rebinding name cannot flip between two checks.
 * Spellings parsers disagree on (backslashes, userinfo) are refused outright.
 */
export const ssrfGuard: ControlFactory = {
  id: 'ssrf-guard',
  phases: ['requestBody'],
  defaultMode: 'block',
  description: 'URL-valued inputs pointing at loopback, private, link-local or metadata addresses, or using other schemes than http(s): 400.',
  create: ({ config }) => {
    const cfg = (config.controls['ssrf-guard'] ?? {}) as SsrfGuardConfig;
    const schemes = new Set((cfg.schemes ?? ['http', 'https']).map((s) => s.toLowerCase()));
    const allowHosts = new Set((cfg.allowHosts ?? []).map((h) => h.toLowerCase()));
    const resolver = new PinnedResolver({ ttlMs: (cfg.dnsTtlSec ?? 30) * 1000, maxEntries: 10_000, timeoutMs: cfg.dnsTimeoutMs ?? 2_000 });
    return {
      id: 'ssrf-guard',
      phases: ['requestBody'],
      evaluate(ctx) {
        const candidates = collect(ctx);
        if (candidates.length === 0) return PASS;
        return judge(candidates, schemes, allowHosts, resolver);
      },
    };
  },
};

async function judge(candidates: Candidate[], schemes: ReadonlySet<string>, allowHosts: ReadonlySet<string>, resolver: PinnedResolver): Promise<Verdict> {
  let unresolved: Verdict | undefined;
  for (const c of candidates) {
    const t = urlTarget(c.value, schemes);
    switch (t.kind) {
      case 'not-a-url':
        continue;
      case 'ambiguous':
        return refuse(c, t.reason);
      case 'scheme':
        return refuse(c, `scheme ${t.scheme.slice(0, 16)} not allowed`);
      case 'address':
        if (t.cls !== 'public' && !allowHosts.has(t.address.toLowerCase())) return refuse(c, `${t.cls} address`);
        continue;
      case 'name': {
        if (allowHosts.has(t.host)) continue;
        const r = await resolver.resolve(t.host);
        if (!r.ok) {
          unresolved ??= { kind: 'flag', ruleId: RULE_SSRF_UNRESOLVED, owasp: 'API7:2023', severity: 'low', status: 400, detail: 'A URL input names a host that does not resolve.', evidence: { location: c.where, host: t.host.slice(0, 253), reason: r.reason } };
          continue;
        }
        const inward = r.addresses.map((a) => classifyAddress(a)).find((cls) => cls !== 'public');
        if (inward) return refuse(c, `${t.host.slice(0, 253)} resolves to a ${inward} address`);
      }
    }
  }
  return unresolved ?? PASS;
}

function refuse(c: Candidate, reason: string): Verdict {
  return {
    kind: 'block', ruleId: RULE_SSRF, owasp: 'API7:2023', severity: 'high', status: 400,
    detail: 'A URL in the request points somewhere the API must not fetch.',
    evidence: { location: c.where, reason, url: c.value.slice(0, 256) },
  };
}

/** Values that may be URLs: query values and body strings (not names or path segments). */
function collect(ctx: RequestContext): Candidate[] {
  return collectInputs(ctx)
    .filter((i) => (i.kind === 'query' || i.kind === 'body') && (i.value.includes(':') || i.value.startsWith('//')))
    .map((i) => ({ where: i.location, value: i.value }));
}
