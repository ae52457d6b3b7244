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
import { profileText } from './profile.js';
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

/** Detectors only read the context, so texts scanned without one can share this. */
const NO_CONTEXT: ScanContext = Object.freeze({});

export interface TextScanOptions {
  /** Classes to look for; all when absent. */
  classes?: ReadonlySet<DataClass>;
  /** Stop after this many matches (default 1000). */
  maxMatches?: number;
  context?: ScanContext;
  /**
   * Internal, for differential tests and benchmarks: `false` runs every detector on every text,
   * without the pre-checks (`Detector.mayMatch`). The results are the same either way.
   */
  prefilter?: boolean;
}

export interface TextScan {
  matches: DataMatch[];
  /** The text may hold more matches than reported: treat it as not fully scanned. */
  truncated: boolean;
}

/** Gathers the matches of one detector after another; one per text, made only if a detector runs. */
class Collector {
  readonly found: DataMatch[] = [];
  truncated = false;
  private cls: DataClass = DATA_CLASSES[0]!;
  private n = 0;

  constructor(private readonly max: number) {}

  /** One closure for every detector (not one per detector run). */
  private readonly emit = (start: number, end: number): boolean => {
    // Each detector scans left to right; past its cap the rest of the text is unscanned for it.
    if (this.n >= this.max) { this.truncated = true; return false; }
    this.found.push({ cls: this.cls, start, end });
    this.n++;
    return true;
  };

  run(detector: Detector, text: string, ctx: ScanContext): void {
    this.cls = detector.cls;
    this.n = 0;
    detector.find(text, ctx, this.emit);
  }
}

/** All matches in `text`, left to right, without overlaps. */
export function scanText(text: string, opts: TextScanOptions = {}): TextScan {
  const max = Math.max(1, opts.maxMatches ?? DEFAULT_MAX_MATCHES);
  const scan = scanWith(text, detectorsFor(opts.classes), opts.context ?? NO_CONTEXT, max, opts.prefilter !== false);
  return scan ?? { matches: [], truncated: false };
}

/** The detectors of `classes` (default: all) in DATA_CLASSES order. */
export function detectorsFor(classes: ReadonlySet<DataClass> | undefined): Detector[] {
  const out: Detector[] = [];
  for (const cls of DATA_CLASSES) if (!classes || classes.has(cls)) out.push(DETECTORS[cls]);
  return out;
}

/**
 * `scanText` for callers that pick the detectors once for many texts (the JSON walk). Undefined
 * when nothing matched, so a clean text costs no result objects.
 */
export function scanWith(text: string, detectors: readonly Detector[], ctx: ScanContext, max: number, prefilter: boolean): TextScan | undefined {
  if (detectors.length === 0) return undefined;
  const profile = prefilter ? profileText(text) : undefined;
  let collector: Collector | undefined;
  for (const detector of detectors) {
    if (profile && !detector.mayMatch(profile, ctx, text)) continue;
    collector ??= new Collector(max);
    collector.run(detector, text, ctx);
  }
  // A detector's cap is only reached after it reported `max` matches, so no match means no truncation.
  if (!collector || collector.found.length === 0) return undefined;
  return resolveOverlaps(collector.found, collector.truncated, max);
}

/**
 * Overlaps: the leftmost wins, then the longest, then the class listed first in DATA_CLASSES
 * (a card number inside an email address is reported as the address). A loser that reaches
 * past the winner keeps its uncovered tail, so masking every match never leaves part of one.
 */
function resolveOverlaps(found: DataMatch[], truncated: boolean, max: number): TextScan {
  if (found.length > 1) found.sort((a, b) => a.start - b.start || b.end - a.end || PRIORITY.get(a.cls)! - PRIORITY.get(b.cls)!);
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
