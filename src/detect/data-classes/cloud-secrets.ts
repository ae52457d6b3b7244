import { includesAny } from './chars.js';
import { keyHas } from './context.js';
import { FLAG, hasFlag } from './profile.js';
import type { Detector, ScanContext, TextProfile } from './types.js';

/**
 * Credentials with a recognisable shape. Each shape has a literal prefix and an exact or bounded
 * length; the characters around it must not continue the token (`edge`), so a prefix inside a
 * longer blob is not reported.
 */
interface Shape {
  re: RegExp;
  /** Characters that may not touch the token on either side. */
  edge: RegExp;
  /** Literals of which every match holds one: without any, `re` cannot match and is not run. */
  anchors: readonly string[];
}

const ALNUM = /[A-Za-z0-9]/;
const WORD = /[A-Za-z0-9_]/;
const WORD_DASH = /[A-Za-z0-9_-]/;

const SHAPES: readonly Shape[] = [
  { re: /(?:AKIA|ASIA)[A-Z0-9]{16}/g, edge: ALNUM, anchors: ['AKIA', 'ASIA'] }, // AWS access key id (long-term / STS)
  { re: /gh[pousr]_[A-Za-z0-9]{36,251}/g, edge: WORD, anchors: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'] }, // GitHub classic and app tokens
  { re: /github_pat_[A-Za-z0-9_]{22,251}/g, edge: WORD, anchors: ['github_pat_'] }, // GitHub fine-grained token
  { re: /xox[abposr]-[A-Za-z0-9-]{10,250}/g, edge: WORD_DASH, anchors: ['xox'] }, // Slack
  { re: /xapp-\d-[A-Za-z0-9-]{10,250}/g, edge: WORD_DASH, anchors: ['xapp-'] }, // Slack app-level token
  { re: /hooks\.slack\.com\/services\/T[A-Z0-9]{8,12}\/B[A-Z0-9]{8,12}\/[A-Za-z0-9]{24}/g, edge: ALNUM, anchors: ['hooks.slack.com/services/T'] },
  { re: /(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,247}/g, edge: WORD, anchors: ['k_live_', 'k_test_'] }, // Stripe secret / restricted
  { re: /AIza[0-9A-Za-z_-]{35}/g, edge: WORD_DASH, anchors: ['AIza'] }, // Google API key
  { re: /glpat-[0-9A-Za-z_-]{20,50}/g, edge: WORD_DASH, anchors: ['glpat-'] }, // GitLab personal access token
  { re: /npm_[A-Za-z0-9]{36}/g, edge: WORD, anchors: ['npm_'] }, // npm
  { re: /pcl_[a-z]{2,8}_[0-9A-Za-z]{8}_[0-9A-Za-z]{38}/g, edge: WORD, anchors: ['pcl_'] }, // Portcullis (src/keys/format.ts)
];

/**
 * An AWS secret access key has no prefix: 40 base64 characters. Reported only when named: after
 * `aws_secret_access_key =` / `"SecretAccessKey":` in text, or as the whole value of a JSON member
 * so named (STS and IAM responses).
 */
const AWS_SECRET_NAME = /secret_?access_?key/gi; // also inside aws_secret_access_key, awsSecretAccessKey
/** AWS_SECRET_NAME as a plain test (no `lastIndex` to reset). */
const HAS_AWS_SECRET_NAME = /secret_?access_?key/i;
const AWS_SECRET_AFTER_NAME = /^["']?\s{0,3}[:=]\s{0,3}["']?([A-Za-z0-9/+]{40})/;
const AWS_SECRET_VALUE = /^[A-Za-z0-9/+]{40}$/;
const BASE64 = /[A-Za-z0-9/+=]/;

function awsSecretMember(ctx: ScanContext): boolean {
  return keyHas(ctx, 'secret', 'access', 'key') || keyHas(ctx, 'aws', 'secret', 'key');
}

/**
 * What the shapes require: the shortest prefixed one (`xoxb-` + 10) has 15 characters, and each
 * prefix holds `_`, `-` or `/`, or starts with `A` (AKIA, ASIA, AIza). A named AWS secret needs
 * its name, `:` or `=`, and 40 characters (56 in all); a whole value under an AWS member is 40 long.
 */
function mayHoldSecret(p: TextProfile, ctx: ScanContext, text: string): boolean {
  if (p.length === 40 && awsSecretMember(ctx)) return true;
  if (p.length < 15) return false;
  if (hasFlag(p, FLAG.underscore | FLAG.slash | FLAG.capitalA) || p.dashes > 0) return true;
  // Only a named AWS secret is left; prose with a colon is common, the name is not.
  return p.length >= 56 && (p.colons > 0 || hasFlag(p, FLAG.equals)) && HAS_AWS_SECRET_NAME.test(text);
}

export const cloudSecret: Detector = {
  cls: 'cloud-secret',
  mayMatch: mayHoldSecret,
  find(text, ctx, emit) {
    for (const { re, edge, anchors } of SHAPES) {
      if (!includesAny(text, anchors)) continue;
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        const end = m.index + m[0].length;
        if (edge.test(text[m.index - 1] ?? '') || edge.test(text[end] ?? '')) continue;
        if (!emit(m.index, end)) return;
      }
    }
    if (awsSecretMember(ctx) && AWS_SECRET_VALUE.test(text)) {
      emit(0, text.length);
      return;
    }
    AWS_SECRET_NAME.lastIndex = 0;
    for (let m = AWS_SECRET_NAME.exec(text); m; m = AWS_SECRET_NAME.exec(text)) {
      const after = m.index + m[0].length;
      const v = AWS_SECRET_AFTER_NAME.exec(text.slice(after, after + 60));
      if (!v) continue;
      const end = after + v[0].length;
      const start = end - 40;
      if (BASE64.test(text[end] ?? '')) continue;
      if (!emit(start, end)) return;
    }
  },
};
