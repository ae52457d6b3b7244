import { readFile } from 'node:fs/promises';
import { STATUS_CODES, type ServerResponse } from 'node:http';
import { CHALLENGE_PATH } from '../abuse/challenge-gate.js';
import { DEMO_PAGE_CSP, demoPageHtml, WIDGET_SCRIPT_FILE } from '../abuse/challenge/demo-page.js';
import { isValidBinding } from '../abuse/challenge/service.js';
import type { AbuseState } from '../abuse/state.js';
import { SlidingLog } from '../abuse/windows.js';
import { SECURITY_HEADERS } from './response-headers.js';

/** Issuing costs the gateway one key derivation (~0.6 ms): an address gets this many a minute. */
const ISSUES_PER_MINUTE = 60;
const DEMO_TARGET = { method: 'GET', path: '/' };
/** The ALTCHA widget (its single-file build), served from the gateway's own origin. */
export const WIDGET_PATH = `${CHALLENGE_PATH}/altcha.js`;

export function isChallengePath(path: string): boolean {
  return path === CHALLENGE_PATH || path.startsWith(`${CHALLENGE_PATH}/`);
}

export interface ChallengeEndpoint {
  serve(res: ServerResponse, method: string, path: string, query: Map<string, string[]> | undefined, clientIp: string): Promise<void>;
}

/**
 * The gateway's own endpoints for proof-of-work challenges: `GET /.well-known/portcullis/challenge
 * ?method=POST&path=/login` issues one bound to that request, at the level the caller's risk
 * score calls for (at least 1); with `challenge.demoPage`, `…/challenge/demo?method=&path=` serves
 * a browser demo that solves one and sends that request. `…/challenge/altcha.js` is the ALTCHA
 * widget for browser pages (from the gateway, no CDN).
 */
export function challengeEndpoint(abuse: AbuseState, opts: { demoPage: boolean }): ChallengeEndpoint {
  const issued = new SlidingLog(60_000, ISSUES_PER_MINUTE, 100_000);
  let widget: Promise<Buffer> | undefined;
  return {
    async serve(res, method, path, query, clientIp) {
      if (method !== 'GET' && method !== 'HEAD') return send(res, 405, 'application/problem+json', problem(405, 'Only GET.'), { allow: 'GET, HEAD' });
      if (abuse.blocks.get(`ip:${clientIp}`)) return send(res, 403, 'application/problem+json', problem(403, 'This caller is temporarily blocked.'));
      if (path === CHALLENGE_PATH) {
        const binding = { method: (query?.get('method')?.[0] ?? '').toUpperCase(), path: query?.get('path')?.[0] ?? '' };
        if (!isValidBinding(binding)) return send(res, 400, 'application/problem+json', problem(400, 'Give the request the challenge is for: ?method=POST&path=/the/path (canonical path, no query).'));
        const key = `ip:${clientIp}`;
        if (issued.count(key) >= ISSUES_PER_MINUTE) {
          const retry = Math.max(1, Math.ceil(issued.msUntilBelow(key, ISSUES_PER_MINUTE) / 1000));
          return send(res, 429, 'application/problem+json', problem(429, `At most ${ISSUES_PER_MINUTE} challenges a minute per address.`), { 'retry-after': String(retry) });
        }
        issued.add(key);
        const level = Math.max(1, abuse.risk.challengeLevel([key]));
        const challenge = await abuse.challenges!.issue(binding, level);
        return send(res, 200, 'application/json', JSON.stringify(challenge));
      }
      if (opts.demoPage && path === `${CHALLENGE_PATH}/demo`) {
        // The request the demo sends once solved: ?method=&path= (default GET /).
        const asked = { method: (query?.get('method')?.[0] ?? DEMO_TARGET.method).toUpperCase(), path: query?.get('path')?.[0] ?? DEMO_TARGET.path };
        const target = isValidBinding(asked) ? asked : DEMO_TARGET;
        const html = demoPageHtml({ challengeUrl: CHALLENGE_PATH, widgetScriptUrl: WIDGET_PATH, target });
        return send(res, 200, 'text/html; charset=utf-8', html, { 'content-security-policy': DEMO_PAGE_CSP });
      }
      // The widget is served to every page that protects a form with it, demo or not.
      if (path === WIDGET_PATH) {
        widget ??= readFile(WIDGET_SCRIPT_FILE);
        return send(res, 200, 'text/javascript; charset=utf-8', await widget, { 'cache-control': 'public, max-age=3600' });
      }
      return send(res, 404, 'application/problem+json', problem(404, 'No such challenge endpoint.'));
    },
  };
}

function problem(status: number, detail: string): string {
  return JSON.stringify({ type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, detail });
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { ...SECURITY_HEADERS, 'cache-control': 'no-store', ...extra, 'content-type': type, 'content-length': bytes.length });
  res.end(bytes);
}
