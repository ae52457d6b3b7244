import { headerValue, type RequestContext } from '../core/context.js';
import { PASS, type Verdict } from '../core/verdict.js';
import { CHALLENGE_HEADER } from './challenge/service.js';
import type { AbuseState } from './state.js';

/** Lower-case, as node:http names request headers. */
const HEADER = CHALLENGE_HEADER.toLowerCase();
export const CHALLENGE_PATH = '/.well-known/portcullis/challenge';
export const RULE_CHALLENGE_REQUIRED = 'abuse/challenge-required';

/** Where a client fetches a challenge bound to this request's method and path. */
export function challengeUrl(method: string, path: string): string {
  return `${CHALLENGE_PATH}?method=${encodeURIComponent(method)}&path=${encodeURIComponent(path)}`;
}

/**
 * The request must carry a solved proof-of-work challenge of at least `level`, bound to its
 * method and path: verified once per request (a second check would see its own replay), else
 * 428 with where to fetch one.
 */
export function requireChallenge(abuse: AbuseState, ctx: RequestContext, level: number, why: string): Verdict | Promise<Verdict> {
  if ((ctx.challengeSolved ?? 0) >= level) return PASS;
  const header = headerValue(ctx, HEADER);
  const challenges = abuse.challenges;
  if (header === undefined || !challenges) return challengeVerdict(ctx, level, why, header === undefined ? 'missing' : 'unavailable');
  if (ctx.challengeSolved !== undefined) return challengeVerdict(ctx, level, why, 'too-easy');
  // The solution is the gateway's business: the upstream never sees it.
  (ctx.consumedHeaders ??= []).push(HEADER);
  return challenges.verify(header, { method: ctx.method, path: ctx.path }).then((r) => {
    if (!r.ok) {
      ctx.challengeSolved = 0;
      return challengeVerdict(ctx, level, why, r.reason);
    }
    ctx.challengeSolved = r.level;
    return r.level >= level ? PASS : challengeVerdict(ctx, level, why, 'too-easy');
  });
}

function challengeVerdict(ctx: RequestContext, level: number, why: string, problem: string): Verdict {
  const url = challengeUrl(ctx.method, ctx.path);
  const solvedWrong = problem !== 'missing';
  return {
    kind: 'block', ruleId: RULE_CHALLENGE_REQUIRED, owasp: 'API6:2023', severity: 'low', status: 428,
    detail: `${why}: solve the proof-of-work challenge from ${url} and send the solution in the ${CHALLENGE_HEADER} header${solvedWrong ? ` (the one sent was refused: ${problem})` : ''}.`,
    evidence: { level, reason: why.slice(0, 128), challenge: problem },
    headers: { 'Portcullis-Challenge': url, 'Cache-Control': 'no-store' },
  };
}
