import { paymentCard } from './cards.js';
import { cloudSecret } from './cloud-secrets.js';
import { email } from './email.js';
import { iban } from './iban.js';
import { jwt } from './jwt.js';
import { nationalId } from './national-ids.js';
import { ipAddress } from './network.js';
import { passwordHash } from './password-hashes.js';
import { phone } from './phones.js';
import { privateKey } from './private-keys.js';
import { DATA_CLASSES, type DataClass, type DataMatch, type Detector, type ScanContext } from './types.js';

const DETECTORS: Readonly<Record<DataClass, Detector>> = {
  'private-key': privateKey,
  jwt,
  'cloud-secret': cloudSecret,
  'password-hash': passwordHash,
  email,
  'payment-card': paymentCard,
  iban,
  'national-id': nationalId,
  phone,
  'ip-address': ipAddress,
};

const PRIORITY = new Map(DATA_CLASSES.map((c, i) => [c, i]));

export const DEFAULT_MAX_MATCHES = 1000;

export interface TextScanOptions {
  /** Classes to look for; all when absent. */
  classes?: ReadonlySet<DataClass>;
  /** Stop after this many matches (default 1000). */
  maxMatches?: number;
  context?: ScanContext;
}

export interface TextScan {
  matches: DataMatch[];
  /** The text may hold more matches than reported: treat it as not fully scanned. */
  truncated: boolean;
}

/** All matches in `text`, left to right, without overlaps. */
export function scanText(text: string, opts: TextScanOptions = {}): TextScan {
  const max = Math.max(1, opts.maxMatches ?? DEFAULT_MAX_MATCHES);
  const ctx = opts.context ?? {};
  const found: DataMatch[] = [];
  let truncated = false;
  for (const cls of DATA_CLASSES) {
    if (opts.classes && !opts.classes.has(cls)) continue;
    let n = 0;
    DETECTORS[cls].find(text, ctx, (start, end) => {
      // Each detector scans left to right; past its cap the rest of the text is unscanned for it.
      if (n >= max) { truncated = true; return false; }
      found.push({ cls, start, end });
      n++;
      return true;
    });
  }
  // Overlaps: the leftmost wins, then the longest, then the class listed first in DATA_CLASSES
  // (a card number inside an email address is reported as the address). A loser that reaches
  // past the winner keeps its uncovered tail, so masking every match never leaves part of one.
  found.sort((a, b) => a.start - b.start || b.end - a.end || PRIORITY.get(a.cls)! - PRIORITY.get(b.cls)!);
  const matches: DataMatch[] = [];
  let reach = 0;
  for (const m of found) {
    if (m.end <= reach) continue;
    if (matches.length === max) { truncated = true; break; }
    matches.push(m.start < reach ? { cls: m.cls, start: reach, end: m.end } : m);
    reach = m.end;
  }
  return { matches, truncated };
}

/** All matches of `classes` (default: every class) in `text`, left to right, without overlaps. */
export function findDataClasses(text: string, classes?: ReadonlySet<DataClass>): DataMatch[] {
  return scanText(text, { classes }).matches;
}
