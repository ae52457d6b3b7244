import type { ControlFactory } from '../core/control.js';
import { authentication } from './authentication/index.js';
import { authorization } from './authorization/index.js';
import { blockList } from './block-list/index.js';
import { deception } from './deception/index.js';
import { enumeration } from './enumeration/index.js';
import { errorSanitizer } from './error-sanitizer/index.js';
import { flows } from './flows/index.js';
import { injection } from './injection/index.js';
import { ipFilter } from './ip-filter/index.js';
import { objectAuthorization } from './object-authorization/index.js';
import { objectLedger } from './object-ledger/index.js';
import { rateLimit } from './rate-limit/index.js';
import { requestValidation } from './request-validation/index.js';
import { risk } from './risk/index.js';
import { responseFilter } from './response-filter/index.js';
import { sensitiveData } from './sensitive-data/index.js';
import { shadowEndpoint } from './shadow-endpoint/index.js';
import { ssrfGuard } from './ssrf-guard/index.js';
import { zombieEndpoint } from './zombie-endpoint/index.js';

/**
 * The one ordered list of controls. Order within a phase is the order here; phases run in
 * REQUEST_PHASES order. Adding a control: one folder, one line.
 */
export const CONTROLS: readonly ControlFactory[] = [
  ipFilter,
  blockList,
  deception,
  shadowEndpoint,
  zombieEndpoint,
  authentication,
  authorization,
  risk,
  enumeration,
  requestValidation,
  ssrfGuard,
  injection,
  objectAuthorization,
  objectLedger,
  rateLimit,
  flows,
  errorSanitizer,
  responseFilter,
  sensitiveData,
];

export function controlIds(): string[] {
  return CONTROLS.map((c) => c.id);
}
