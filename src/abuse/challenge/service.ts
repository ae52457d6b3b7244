import { hkdfSync } from 'node:crypto';
import { createChallenge, randomInt, verifySolution, type Challenge, type Solution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';

/**
 * Proof-of-work challenges (ALTCHA v2, deterministic mode): the server picks a secret counter,
 * derives its key and publishes half of it as the prefix; the client must count up to it. The
 * HMAC signs the parameters, including `expiresAt` and `data` (method, path, level), so none can
 * be changed by the client, and a key signature makes verifying one HMAC instead of a derivation.
 */

/** Header carrying the solved payload (the base64 JSON the ALTCHA widget produces). */
export const CHALLENGE_HEADER = 'X-Portcullis-Challenge';
/** PBKDF2 is bundled with the ALTCHA widget (Web Crypto) and native in Node. */
export const CHALLENGE_ALGORITHM = 'PBKDF2/SHA-256';
/** PBKDF2 iterations per attempt. The server pays one derivation (this cost) per issued challenge. */
export const CHALLENGE_COST = 1_000;
export const DEFAULT_EXPIRES_SEC = 300;
export const MAX_EXPIRES_SEC = 3_600;
/** Headers longer than this are refused unparsed; a genuine payload is well under 2 KB. */
export const MAX_HEADER_BYTES = 4_096;
/** Longer paths would not fit a payload under MAX_HEADER_BYTES. */
export const MAX_PATH_LENGTH = 1_024;
/** Replay entries outlive the expiry by this much, to cover clock skew between gateway instances. */
export const REPLAY_TTL_MARGIN_MS = 5_000;
const MIN_HMAC_KEY_BYTES = 16;

export interface DifficultyLevel {
  /** PBKDF2 iterations per attempt. */
  readonly cost: number;
  /** The secret counter is drawn from [maxCounter/2, maxCounter]: the work is bounded both ways. */
  readonly maxCounter: number;
}

/**
 * Level → work. Measured with bench/challenge.mjs (table in docs/challenge.md): level 1 takes a
 * few ms in Node, level 5 about two seconds. Expected attempts ≈ 0.75 × maxCounter.
 */
export const DIFFICULTY_LEVELS: Readonly<Record<1 | 2 | 3 | 4 | 5, DifficultyLevel>> = Object.freeze({
  1: Object.freeze({ cost: CHALLENGE_COST, maxCounter: 10 }),
  2: Object.freeze({ cost: CHALLENGE_COST, maxCounter: 60 }),
  3: Object.freeze({ cost: CHALLENGE_COST, maxCounter: 360 }),
  4: Object.freeze({ cost: CHALLENGE_COST, maxCounter: 2_000 }),
  5: Object.freeze({ cost: CHALLENGE_COST, maxCounter: 8_000 }),
});
export type ChallengeLevel = keyof typeof DIFFICULTY_LEVELS;

/** What a challenge is valid for. Method upper-case, path canonical (as the router matches it), no query. */
export interface ChallengeBinding {
  method: string;
  path: string;
}

export interface ReplayStore {
  /** True the first time an id is claimed within its TTL, false after. */
  claim(id: string, ttlMs: number): Promise<boolean>;
  close?(): Promise<void>;
}

export interface ChallengeServiceOptions {
  /** At least 16 bytes. Two sub-keys are derived from it (challenge signature, key signature). */
  hmacKey: string | Buffer;
  /** Lifetime of an issued challenge. Default DEFAULT_EXPIRES_SEC. */
  expiresSec?: number;
  replay: ReplayStore;
}

export type ChallengeFailure = 'malformed' | 'expired' | 'tampered' | 'wrong-binding' | 'replayed' | 'unsolved';
export type ChallengeResult = { ok: true; level: ChallengeLevel } | { ok: false; reason: ChallengeFailure };
export type IssuedChallenge = Challenge;

const METHOD = /^[A-Z]{1,16}$/;
// Printable ASCII: the widget base64-encodes the payload with btoa, which refuses other characters.
const PATH = /^\/[\x21-\x7e]*$/;
const HEX = /^[0-9a-f]+$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function isValidBinding(b: unknown): b is ChallengeBinding {
  if (typeof b !== 'object' || b === null) return false;
  const { method, path } = b as Record<string, unknown>;
  return typeof method === 'string' && METHOD.test(method.toUpperCase())
    && typeof path === 'string' && path.length <= MAX_PATH_LENGTH && PATH.test(path);
}

export function isChallengeLevel(level: unknown): level is ChallengeLevel {
  return typeof level === 'number' && Object.hasOwn(DIFFICULTY_LEVELS, level);
}

export class ChallengeService {
  readonly #signatureSecret: string;
  readonly #keySignatureSecret: string;
  readonly #expiresSec: number;
  readonly #replay: ReplayStore;

  constructor(opts: ChallengeServiceOptions) {
    const key = typeof opts.hmacKey === 'string' ? Buffer.from(opts.hmacKey, 'utf8') : opts.hmacKey;
    if (!Buffer.isBuffer(key) || key.length < MIN_HMAC_KEY_BYTES) {
      throw new RangeError(`hmacKey must be at least ${MIN_HMAC_KEY_BYTES} bytes`);
    }
    const expiresSec = opts.expiresSec ?? DEFAULT_EXPIRES_SEC;
    if (!Number.isInteger(expiresSec) || expiresSec < 1 || expiresSec > MAX_EXPIRES_SEC) {
      throw new RangeError(`expiresSec must be an integer in 1..${MAX_EXPIRES_SEC}`);
    }
    // Separate sub-keys so the key signature can never be confused with a challenge signature.
    this.#signatureSecret = subKey(key, 'portcullis/challenge/signature');
    this.#keySignatureSecret = subKey(key, 'portcullis/challenge/key-signature');
    this.#expiresSec = expiresSec;
    this.#replay = opts.replay;
  }

  /** The challenge JSON for the client. Throws RangeError on an invalid binding or level (a caller bug or a 400). */
  async issue(binding: ChallengeBinding, level: number): Promise<IssuedChallenge> {
    if (!isValidBinding(binding)) throw new RangeError('invalid challenge binding');
    if (!isChallengeLevel(level)) throw new RangeError('invalid challenge level');
    const { cost, maxCounter } = DIFFICULTY_LEVELS[level];
    return createChallenge({
      algorithm: CHALLENGE_ALGORITHM,
      cost,
      counter: randomInt(maxCounter, Math.ceil(maxCounter / 2)),
      deriveKey,
      // Seconds, rounded up so a challenge never lives shorter than configured.
      expiresAt: Math.ceil(Date.now() / 1_000) + this.#expiresSec,
      data: { method: binding.method.toUpperCase(), path: binding.path, level },
      hmacSignatureSecret: this.#signatureSecret,
      hmacKeySignatureSecret: this.#keySignatureSecret,
    });
  }

  /** Checks the header value for this request. Never throws on client input; store errors propagate. */
  async verify(header: string, binding: ChallengeBinding): Promise<ChallengeResult> {
    const payload = parsePayload(header);
    if (!payload) return fail('malformed');
    let result;
    try {
      result = await verifySolution({
        challenge: payload.challenge,
        solution: payload.solution,
        deriveKey,
        hmacSignatureSecret: this.#signatureSecret,
        hmacKeySignatureSecret: this.#keySignatureSecret,
      });
    } catch {
      return fail('malformed');
    }
    if (result.expired) return fail('expired');
    if (result.invalidSignature !== false) return fail('tampered');
    if (!result.verified) return fail('unsolved');

    // From here the parameters are ours: the signature covered them.
    const { data, expiresAt, nonce } = payload.challenge.parameters;
    const level = data?.level;
    if (typeof expiresAt !== 'number' || !isChallengeLevel(level)) return fail('tampered');
    if (data?.method !== binding.method.toUpperCase() || data?.path !== binding.path) return fail('wrong-binding');
    // The library accepts until expiresAt (inclusive, in seconds): remember the nonce a bit longer.
    const ttlMs = expiresAt * 1_000 - Date.now() + REPLAY_TTL_MARGIN_MS;
    if (!(await this.#replay.claim(nonce, ttlMs))) return fail('replayed');
    return { ok: true, level };
  }
}

interface Payload {
  challenge: Challenge;
  solution: Solution;
}

/** Shape checks only: whether the values are genuine is the signature's job. */
function parsePayload(header: unknown): Payload | undefined {
  if (typeof header !== 'string' || header.length === 0 || header.length > MAX_HEADER_BYTES) return undefined;
  const trimmed = header.trim();
  if (!BASE64.test(trimmed)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(trimmed, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isRecord(json) || !isRecord(json.challenge) || !isRecord(json.solution)) return undefined;
  const { parameters: p, signature } = json.challenge;
  const s = json.solution;
  if (!isRecord(p) || typeof signature !== 'string' || !HEX.test(signature)) return undefined;
  const ok = typeof p.algorithm === 'string' && isHex(p.nonce) && isHex(p.salt) && isHex(p.keyPrefix)
    && Number.isInteger(p.cost) && Number.isInteger(p.keyLength) && typeof p.expiresAt === 'number'
    && (p.keySignature === undefined || isHex(p.keySignature)) && (p.data === undefined || isRecord(p.data))
    && Number.isInteger(s.counter) && isHex(s.derivedKey) && (s.time === undefined || typeof s.time === 'number');
  if (!ok) return undefined;
  // Only the widget's two fields go on: anything else would not be covered by the signature anyway.
  return { challenge: { parameters: p as unknown as Challenge['parameters'], signature }, solution: s as unknown as Solution };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isHex(v: unknown): v is string {
  return typeof v === 'string' && v.length % 2 === 0 && HEX.test(v);
}

function subKey(key: Buffer, info: string): string {
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), info, 32)).toString('hex');
}

function fail(reason: ChallengeFailure): ChallengeResult {
  return { ok: false, reason };
}
