/** Tokenizer-based SQL injection detector: see detect.ts for the rules and tokenize.ts for the lexer. */
import type { Detector } from '../types.js';
import { detectSqli } from './detect.js';

export const sqli: Detector = {
  id: 'sqli',
  detect: detectSqli,
};

export { detectSqli, SCAN_LIMIT } from './detect.js';
export { tokenize, type Token, type Kind, type Context } from './tokenize.js';
