import type { ControlFactory } from '../../core/control.js';
import type { RequestContext } from '../../core/context.js';
import { PASS, type Verdict } from '../../core/verdict.js';
import { classifyAddress, DANGEROUS_SCHEMES, literalHostTarget, PinnedResolver, schemelessInwardTarget, urlTarget, type UrlTarget } from '../../detect/ssrf/index.js';
import { collectInputs, type Input } from '../shared/inputs.js';

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


interface Candidate { where: string; value: string; urlValued: boolean; schemeless?: UrlTarget & { kind: 'address' } }

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
    if (c.schemeless) {
      if (!allowHosts.has(c.schemeless.address)) return refuse(c, `${c.schemeless.cls} host without a scheme`);
      continue;
    }
    const t = urlTarget(c.value, schemes);
    // What WHATWG URL does not read as an address (opaque schemes, hosts it refuses), read as other clients would.
    const literal = t.kind === 'scheme' || t.kind === 'not-a-url' || t.kind === 'ambiguous' ? literalHostTarget(c.value) : undefined;
    if (literal?.kind === 'address' && literal.cls !== 'public' && !allowHosts.has(literal.address)) return refuse(c, `${literal.cls} address`);
    if (literal?.kind === 'ambiguous') return refuse(c, literal.reason);
    if (!c.urlValued) {
      // Free text that happens to be a URL (`gid://shop/Product/1`, `wss://…`, a link in a comment)
      // is not fetched by the API: only a fetching scheme or a literal inward address is refused, and no name is resolved.
      if (t.kind === 'scheme' && DANGEROUS_SCHEMES.has(t.scheme)) return refuse(c, `scheme ${t.scheme.slice(0, 16)} not allowed`);
      if (t.kind === 'address' && t.cls !== 'public' && !allowHosts.has(t.address.toLowerCase())) return refuse(c, `${t.cls} address`);
      continue;
    }
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

/**
 * Values that may be URLs: query values and body strings (not names, path segments or headers),
 * each marked URL-valued when the contract says so (`format: uri`…) or its name does (`imageUrl`,
 * `callback_url`, `webhook`, `avatar`, `src`…). Free text is judged only as a whole-value URL.
 */
function collect(ctx: RequestContext): Candidate[] {
  const out: Candidate[] = [];
  for (const i of collectInputs(ctx)) {
    if (i.kind !== 'query' && i.kind !== 'body') continue;
    const v = i.value;
    const schemeful = v.includes(':') || v.startsWith('//');
    // Without a scheme, only a whole value naming an inward host (`localhost/`, `host.docker.internal:2375/`), or in a
    // URL-valued input an inward address with a port or path (`169.254.169.254/latest/meta-data`), is a fetch target.
    const inwardName = INWARD_HINT.test(v);
    if (!schemeful && !inwardName && !/^\d/.test(v)) continue;
    const urlValued = isUrlValued(i);
    if (inwardName || urlValued) {
      const t = schemelessInwardTarget(v, urlValued);
      if (t?.kind === 'address') {
        out.push({ where: i.location, value: v, urlValued, schemeless: t });
        continue;
      }
    }
    if (!schemeful || (!urlValued && /\s/.test(v.trim()))) continue;
    out.push({ where: i.location, value: v, urlValued });
  }
  return out;
}

function isUrlValued(i: Input): boolean {
  return i.urlValued === true || (i.name !== undefined && isUrlName(i.name));
}

/** What every inward name of schemelessInwardTarget contains: most values skip it on this test. */
const INWARD_HINT = /local|internal|loopback|lvh\.me/i;

/** Words in a parameter or member name that say its value is something the API fetches. */
const URL_WORDS = new Set([
  'url', 'urls', 'uri', 'uris', 'href', 'src', 'link', 'links', 'callback', 'webhook', 'webhooks', 'hook', 'endpoint', 'image', 'images',
  'img', 'avatar', 'icon', 'logo', 'photo', 'picture', 'thumbnail', 'feed', 'fetch', 'download', 'import', 'proxy', 'website', 'homepage',
]);

/** `imageUrl`, `callback_url`, `webhook-endpoint`, `AvatarURL`: split at case changes and separators. */
export function isUrlName(name: string): boolean {
  if (name.length > 64) return false;
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2').toLowerCase().split(/[\s_.\-[\]]+/);
  return words.some((w) => URL_WORDS.has(w));
}
