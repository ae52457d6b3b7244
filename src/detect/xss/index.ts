import type { Detection, Detector } from '../types.js';
import { scan } from './scan.js';

export { scan, scanExhaustive, MIN_CONFIDENCE } from './scan.js';

/** The XSS detector: markup and script structure in one value (see scan.ts for what is recognised). */
export const xss: Detector = {
  id: 'xss',
  detect(value: string): Detection | undefined {
    return scan(value);
  },
};
