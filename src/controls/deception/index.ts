import type { ControlFactory } from '../../core/control.js';
import { headerValue, type RequestContext } from '../../core/context.js';
import { PASS, type Verdict } from '../../core/verdict.js';

export const RULE_HONEYPOT = 'deception/honeypot';
export const RULE_HONEYTOKEN = 'deception/honeytoken';
export const RULE_PROBE = 'deception/probe-path';
export const RULE_BLOCKED = 'abuse/blocked';

export interface DeceptionConfig {
  /** Paths no legitimate client asks for (exact, or a prefix ending in `*`), besides the default probe paths. */
  honeypots?: string[];
  /**
   * The common probe paths (`/.env`, `/.git/config`, `/wp-login.php`…) the contract does not
   * declare: `trap` (default) answers 404 and records a high-severity event, `convict` also blocks
   * the caller like a configured honeypot, `off` ignores them. Not `convict` by default: behind a
   * load balancer that is not in `trustedProxies`, every client shares one address.
   */
  probePaths?: 'trap' | 'convict' | 'off';
  /** Credentials planted where attackers look (a fake key in a repo, a config file): presenting one convicts. */
  honeytokens?: string[];
  /** How long a convicted caller (its IP and principal) is refused, in seconds (default 3600). */
  blockSec?: number;
  /** Hold the answer to a trap this long before answering (default 0, at most 10 000 ms). */
  tarpitMs?: number;
}

/** Paths scanners try on every host; an API that does not declare them has no business answering them. */
const PROBE_PATHS = [
  '/.env', '/.env.local', '/.env.production', '/.git/config', '/.git/HEAD', '/.svn/entries', '/.hg/hgrc', '/.DS_Store',
  '/.aws/credentials', '/.ssh/id_rsa', '/.htpasswd', '/.htaccess', '/wp-login.php', '/wp-admin*', '/xmlrpc.php',
  '/wp-config.php', '/phpmyadmin*', '/pma*', '/adminer.php', '/server-status', '/server-info', '/actuator*',
  '/console*', '/jmx-console*', '/manager/html', '/cgi-bin/*', '/vendor/phpunit*', '/phpinfo.php', '/info.php',
  '/config.php', '/backup.sql', '/dump.sql', '/db.sql', '/boaform/*',
];
const MAX_BLOCKED = 100_000;

/** The gateway's block list: caller key (`ip:…`, `jwt:…`) → until when, kept across reloads. */
type BlockList = Map<string, number>;

/**
 * Deception (OWASP API9 inventory abuse, API2 credential misuse): honeypot paths and honeytoken
 * credentials that no legitimate client touches. Touching one convicts the caller at once: its
 * client IP and principal are refused for `blockSec` (403 `abuse/blocked`), and the trap itself
 * answers like an unknown path (404), after an optional tarpit delay, so the prober learns nothing.
 */
export const deception: ControlFactory = {
  id: 'deception',
  phases: ['requestHead', 'abuse'],
  defaultMode: 'block',
  description: 'Honeypot paths and honeytoken credentials: the caller is convicted (blocked for blockSec); blocked callers get 403.',
  create: ({ config, persistent }) => {
    const cfg = (config.controls.deception ?? {}) as DeceptionConfig;
    const honeypots = (cfg.honeypots ?? []).map(compilePath);
    const probeMode = cfg.probePaths ?? 'trap';
    const probes = probeMode === 'off' ? [] : PROBE_PATHS.map(compilePath);
    const tokens = new Set((cfg.honeytokens ?? []).filter((t) => t.length >= 8));
    const blockMs = (cfg.blockSec ?? 3600) * 1000;
    const tarpitMs = Math.min(10_000, Math.max(0, cfg.tarpitMs ?? 0));
    const blocked = (persistent?.get('deception') as BlockList | undefined) ?? new Map<string, number>();
    persistent?.set('deception', blocked);

    const isBlocked = (key: string): boolean => {
      const until = blocked.get(key);
      if (until === undefined) return false;
      if (until > Date.now()) return true;
      blocked.delete(key);
      return false;
    };
    const convict = (ctx: RequestContext): void => {
      const until = Date.now() + blockMs;
      for (const key of new Set([`ip:${ctx.clientIp}`, ctx.principal.id])) {
        // Bounded: the oldest conviction goes first (Map keeps insertion order).
        if (!blocked.has(key) && blocked.size >= MAX_BLOCKED) blocked.delete(blocked.keys().next().value!);
        blocked.delete(key);
        blocked.set(key, until);
      }
    };
    const trapped = (ctx: RequestContext, verdict: Verdict, conviction = true): Verdict | Promise<Verdict> => {
      if (conviction) convict(ctx);
      return tarpitMs > 0 ? new Promise((r) => setTimeout(() => r(verdict), tarpitMs).unref()) : verdict;
    };

    return {
      id: 'deception',
      phases: ['requestHead', 'abuse'],
      evaluate(ctx, phase) {
        if (phase === 'requestHead') {
          if (isBlocked(`ip:${ctx.clientIp}`)) return blockedVerdict(`ip:${ctx.clientIp}`);
          // A declared operation is never a trap, whatever its path.
          if (!ctx.route?.operation) {
            const configured = honeypots.some((t) => t(ctx.path));
            if (configured || probes.some((t) => t(ctx.path))) {
              return trapped(ctx, {
                kind: 'block', ruleId: configured ? RULE_HONEYPOT : RULE_PROBE, owasp: 'API9:2023', severity: 'high', status: 404,
                detail: 'No operation is declared for this path.', evidence: { path: ctx.path.slice(0, 256) },
              }, configured || probeMode === 'convict');
            }
          }
          if (tokens.size > 0 && presentsHoneytoken(ctx, tokens)) {
            return trapped(ctx, {
              kind: 'block', ruleId: RULE_HONEYTOKEN, owasp: 'API2:2023', severity: 'critical', status: 401,
              detail: 'The credential is not valid.', evidence: {},
            });
          }
          return PASS;
        }
        // After authentication: a convicted principal is refused from any address.
        return ctx.principal.kind !== 'anonymous' && isBlocked(ctx.principal.id) ? blockedVerdict(ctx.principal.id) : PASS;
      },
    };
  },
};

function blockedVerdict(key: string): Verdict {
  return {
    kind: 'block', ruleId: RULE_BLOCKED, owasp: 'API4:2023', severity: 'medium', status: 403,
    detail: 'This caller is temporarily blocked.', evidence: { caller: key.slice(0, 128) },
  };
}

/** `/admin*` matches the prefix; anything else the exact canonical path. */
function compilePath(p: string): (path: string) => boolean {
  if (p.endsWith('*')) {
    const prefix = p.slice(0, -1);
    return (path) => path.startsWith(prefix);
  }
  return (path) => path === p;
}

/** A honeytoken as the bearer token, the whole Authorization value, an API-key header or a query value. */
function presentsHoneytoken(ctx: RequestContext, tokens: ReadonlySet<string>): boolean {
  const auth = headerValue(ctx, 'authorization');
  if (auth !== undefined && (tokens.has(auth) || tokens.has(auth.replace(/^\S+\s+/, '')))) return true;
  for (const name of ['x-api-key', 'api-key', 'x-auth-token']) {
    const v = headerValue(ctx, name);
    if (v !== undefined && tokens.has(v)) return true;
  }
  for (const values of ctx.query?.values() ?? []) for (const v of values) if (tokens.has(v)) return true;
  return false;
}
