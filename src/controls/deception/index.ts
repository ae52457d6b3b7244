import { callerKeys } from '../../abuse/state.js';
import type { ControlFactory } from '../../core/control.js';
import { headerValue, type RequestContext } from '../../core/context.js';
import { PASS, type Verdict } from '../../core/verdict.js';

export const RULE_HONEYPOT = 'deception/honeypot';
export const RULE_HONEYTOKEN = 'deception/honeytoken';
export const RULE_PROBE = 'deception/probe-path';
export { RULE_BLOCKED } from '../block-list/index.js';

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
/**
 * Deception (OWASP API9 inventory abuse, API2 credential misuse): honeypot paths and honeytoken
 * credentials that no legitimate client touches. Touching one convicts the caller at once: its
 * client IP and principal go on the gateway's block list for `blockSec` (the block-list control
 * refuses them with 403 `abuse/blocked`), and the trap itself
 * answers like an unknown path (404), after an optional tarpit delay, so the prober learns nothing.
 */
export const deception: ControlFactory = {
  id: 'deception',
  phases: ['requestHead'],
  defaultMode: 'block',
  description: 'Honeypot paths and honeytoken credentials: the caller is convicted (put on the block list for blockSec).',
  create: ({ config, abuse }) => {
    const cfg = (config.controls.deception ?? {}) as DeceptionConfig;
    const honeypots = (cfg.honeypots ?? []).map(compilePath);
    const probeMode = cfg.probePaths ?? 'trap';
    const probes = probeMode === 'off' ? [] : PROBE_PATHS.map(compilePath);
    const tokens = new Set((cfg.honeytokens ?? []).filter((t) => t.length >= 8));
    const blockMs = (cfg.blockSec ?? 3600) * 1000;
    const tarpitMs = Math.min(10_000, Math.max(0, cfg.tarpitMs ?? 0));
    const convict = (ctx: RequestContext, ruleId: string): void => {
      for (const key of callerKeys(ctx.clientIp, ctx.principal.id)) abuse?.blocks.block(key, blockMs, ruleId);
    };
    const trapped = (ctx: RequestContext, verdict: Verdict & { ruleId: string }, conviction = true): Verdict | Promise<Verdict> => {
      if (conviction) convict(ctx, verdict.ruleId);
      return tarpitMs > 0 ? new Promise((r) => setTimeout(() => r(verdict), tarpitMs).unref()) : verdict;
    };

    return {
      id: 'deception',
      phases: ['requestHead'],
      // Traps are paths no operation declares; on a declared operation only a honeytoken can spring one.
      appliesTo: (op) => op === undefined || tokens.size > 0,
      evaluate(ctx) {
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
      },
    };
  },
};

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
