import { beforeAll, describe, expect, it } from 'vitest';
import { corpusPresent, corpusReadings, corpusValues } from '../../test/helpers/corpus-readings.js';
import { percentDecodeByRegex } from '../../test/helpers/decode-reference.js';
import { percentDecode } from './decode.js';
import { detectInContext, detectSqli, detectSqliExhaustive } from './sqli/detect.js';
import { bareMayFire, quotedMayFire } from './sqli/precheck.js';
import { cmdi, detectExhaustive as cmdiExhaustive } from './cmdi/index.js';
import { code, detectExhaustive as codeExhaustive } from './code/index.js';
import { detectJavaExhaustive, java } from './java/index.js';
import { detectExhaustive as traversalExhaustive, traversal } from './traversal/index.js';
import { scanExhaustive as xssExhaustive, xss } from './xss/index.js';
import type { Detection } from './types.js';

/**
 * The detectors' pre-checks against their un-gated references on the shared corpus: every reading
 * of every attack, and benign readings (browser traffic: query strings, JSON bodies, headers) up to
 * a character budget that keeps this under ~20 s on two busy cores; CORPUS_FULL=1 reads all of
 * them (~32 M characters). Skipped when the corpus is not on this machine.
 */
const BUDGET = process.env.CORPUS_FULL === '1' ? Infinity : 12_000_000;

/** Readings on which `gated` and `reference` disagree (at most 10), and how many the reference flags. */
function differences(readings: readonly string[], gated: (v: string) => Detection | undefined, reference: (v: string) => Detection | undefined): { diffs: string[]; fired: number } {
  const diffs: string[] = [];
  let fired = 0;
  for (const v of readings) {
    const r = reference(v);
    if (r) fired++;
    if (diffs.length < 10 && JSON.stringify(gated(v)) !== JSON.stringify(r)) diffs.push(v);
  }
  return { diffs, fired };
}

describe.skipIf(!corpusPresent())('pre-checks on the corpus', () => {
  let values: { attacks: string[]; benign: string[] } = { attacks: [], benign: [] };
  let readings: string[] = [];
  beforeAll(() => {
    values = corpusValues();
    readings = corpusReadings(BUDGET, values);
  }, 120_000);

  it('percentDecode reads every corpus value and reading as its regex specification does', () => {
    const { attacks, benign } = values;
    const diffs: string[] = [];
    let decoded = 0;
    for (const v of [...attacks, ...benign, ...readings]) {
      if (!v.includes('%')) continue;
      const got = percentDecode(v);
      if (got !== v) decoded++;
      if (diffs.length < 10 && got !== percentDecodeByRegex(v)) diffs.push(v);
    }
    expect(diffs).toEqual([]);
    expect(decoded).toBeGreaterThan(10_000);
  }, 120_000);

  it('reads enough of the corpus to mean something', () => {
    expect(readings.length).toBeGreaterThan(50_000);
  });

  it('sqli: no context a pre-check rules out has a finding; detect() equals the exhaustive scan', () => {
    const diffs: string[] = [];
    let fired = 0;
    let ruledOut = 0;
    for (const v of readings) {
      const gated = detectSqli(v);
      const reference = detectSqliExhaustive(v);
      if (reference) fired++;
      if (JSON.stringify(gated) !== JSON.stringify(reference)) diffs.push(v);
      // Per context, not only the first finding: a wrong skip must not hide behind a later context's hit.
      if (v.length > 4096) continue; // longer values are scanned in windows, each checked alike by detectSqli
      if (!bareMayFire(v)) { ruledOut++; if (detectInContext(v, '')) diffs.push(`bare: ${v}`); }
      for (const q of [39, 34]) {
        if (v.includes(String.fromCharCode(q)) && !quotedMayFire(v, q)) { ruledOut++; if (detectInContext(v, q === 39 ? "'" : '"')) diffs.push(`${String.fromCharCode(q)}: ${v}`); }
      }
    }
    expect(diffs.slice(0, 10)).toEqual([]);
    expect(fired).toBeGreaterThan(10_000);
    expect(ruledOut).toBeGreaterThan(readings.length / 2);
  }, 120_000);

  it('cmdi: detect() equals the exhaustive path', () => {
    const { diffs, fired } = differences(readings, (v) => cmdi.detect(v), cmdiExhaustive);
    expect(diffs).toEqual([]);
    expect(fired).toBeGreaterThan(500);
  }, 120_000);

  it('code: detect() equals the exhaustive scan', () => {
    const { diffs, fired } = differences(readings, (v) => code.detect(v), codeExhaustive);
    expect(diffs).toEqual([]);
    expect(fired).toBeGreaterThan(500);
  }, 120_000);

  // The detectors whose gates this corpus run did not change, held to their references all the same.
  it.each([
    ['java', (v: string) => java.detect(v), detectJavaExhaustive],
    ['traversal', (v: string) => traversal.detect(v), traversalExhaustive],
    ['xss', (v: string) => xss.detect(v), xssExhaustive],
  ] as const)('%s: detect() equals the exhaustive scan', (_name, gated, reference) => {
    const { diffs, fired } = differences(readings, gated, reference);
    expect(diffs).toEqual([]);
    expect(fired).toBeGreaterThan(200);
  }, 120_000);
});
