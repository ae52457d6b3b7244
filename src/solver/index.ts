import { solveChallenge as solveLane, type Challenge, type DeriveKeyFunction, type Solution } from 'altcha-lib';
import { deriveKey as pbkdf2 } from 'altcha-lib/algorithms/web/pbkdf2';
import { deriveKey as sha } from 'altcha-lib/algorithms/web/sha';

/**
 * Client-side solver for Portcullis proof-of-work challenges (published as `portcullis/solver`).
 * Web Crypto only, no `node:` imports, so it runs in Node 20+, Deno, Bun, browsers and workers.
 */

export const CHALLENGE_HEADER = 'X-Portcullis-Challenge';
/** Gateway endpoint path that issues challenges. */
export const CHALLENGE_PATH = '/.well-known/portcullis/challenge';
export const DEFAULT_SOLVE_TIMEOUT_MS = 30_000;
/** Parallel lanes: Web Crypto derivations are asynchronous, so lanes overlap on a thread pool. */
const MAX_LANES = 16;

export interface SolveOptions {
  /** Parallel solving lanes. Default: hardware concurrency (at most 4), or 2 where unknown. */
  concurrency?: number;
  /** Give up after this long. Default DEFAULT_SOLVE_TIMEOUT_MS. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

const DERIVERS: Readonly<Record<string, DeriveKeyFunction>> = {
  'PBKDF2/SHA-256': pbkdf2, 'PBKDF2/SHA-384': pbkdf2, 'PBKDF2/SHA-512': pbkdf2,
  'SHA-256': sha, 'SHA-384': sha, 'SHA-512': sha,
};

/** Solves a challenge (the JSON from the challenge endpoint) and returns the header value to send. */
export async function solveChallenge(challenge: object, opts: SolveOptions = {}): Promise<string> {
  const parsed = asChallenge(challenge);
  const deriveKey = DERIVERS[parsed.parameters.algorithm];
  if (!deriveKey) throw new Error(`unsupported challenge algorithm: ${parsed.parameters.algorithm}`);
  const lanes = laneCount(opts.concurrency);
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) controller.abort();
  try {
    // Lane i tries counters i, i+n, i+2n, …; the first lane to find the key stops the others.
    const solution = await firstSolution(Array.from({ length: lanes }, (_, i) => solveLane({
      challenge: parsed, deriveKey, controller, counterStart: i, counterStep: lanes,
      timeout: opts.timeoutMs ?? DEFAULT_SOLVE_TIMEOUT_MS,
    })), controller);
    if (!solution) throw new Error(opts.signal?.aborted ? 'challenge solving aborted' : 'challenge not solved in time');
    return encodePayload(parsed, solution);
  } finally {
    controller.abort();
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

export type FetchLike = (url: string, init?: { method?: string; headers?: Record<string, string>; signal?: AbortSignal }) => Promise<{
  ok: boolean; status: number; json(): Promise<unknown>;
}>;

/**
 * Fetches a challenge for `target` from the gateway, solves it and returns the header to send
 * with that one request: `{ 'X-Portcullis-Challenge': value }`, ready to spread into `headers`.
 * `challengeUrl` is the gateway's challenge endpoint (e.g. `https://api.example.com` + CHALLENGE_PATH).
 */
export async function withChallenge(
  fetchLike: FetchLike, challengeUrl: string | URL, target: { method: string; path: string }, opts: SolveOptions = {},
): Promise<Record<string, string>> {
  const url = new URL(challengeUrl);
  url.searchParams.set('method', target.method.toUpperCase());
  url.searchParams.set('path', target.path);
  const init = opts.signal ? { headers: { accept: 'application/json' }, signal: opts.signal } : { headers: { accept: 'application/json' } };
  const res = await fetchLike(url.toString(), init);
  if (!res.ok) throw new Error(`challenge endpoint answered ${res.status}`);
  const challenge = await res.json();
  if (typeof challenge !== 'object' || challenge === null) throw new Error('challenge endpoint answered no challenge');
  return { [CHALLENGE_HEADER]: await solveChallenge(challenge, opts) };
}

/** The ALTCHA widget's payload format: base64 of `{ challenge: { parameters, signature }, solution }`. */
function encodePayload(challenge: Challenge, solution: Solution): string {
  const json = JSON.stringify({ challenge: { parameters: challenge.parameters, signature: challenge.signature }, solution });
  const bytes = new TextEncoder().encode(json);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function asChallenge(c: object): Challenge {
  const p = (c as { parameters?: unknown }).parameters;
  if (typeof p !== 'object' || p === null) throw new TypeError('not a challenge: missing parameters');
  const { algorithm, nonce, salt, keyPrefix } = p as Record<string, unknown>;
  if (typeof algorithm !== 'string' || typeof nonce !== 'string' || typeof salt !== 'string' || typeof keyPrefix !== 'string') {
    throw new TypeError('not a challenge: incomplete parameters');
  }
  return c as Challenge;
}

function laneCount(requested: number | undefined): number {
  const hw = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  const n = requested ?? (hw ? Math.min(4, hw) : 2);
  return Math.max(1, Math.min(MAX_LANES, Math.floor(n)));
}

function firstSolution(lanes: Promise<Solution | null>[], controller: AbortController): Promise<Solution | null> {
  return new Promise((resolve, reject) => {
    let pending = lanes.length;
    for (const lane of lanes) {
      lane.then((s) => {
        if (s) {
          controller.abort();
          resolve(s);
        } else if (--pending === 0) resolve(null);
      }, (err: unknown) => {
        controller.abort();
        reject(err instanceof Error ? err : new Error(String(err)));
      });
    }
  });
}
