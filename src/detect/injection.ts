import { nosql } from './nosql/index.js';
import { sqli } from './sqli/index.js';
import type { Detector } from './types.js';
import { xss } from './xss/index.js';

/** The detectors the injection control runs, in order (cheapest and most specific first). */
export const INJECTION_DETECTORS: readonly Detector[] = [nosql, xss, sqli];
