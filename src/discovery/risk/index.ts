/** Risk per endpoint (issue 6): a 0–100 score with the factors that make it. */
export { scoreEndpoint, medianCount, RISK_POINTS } from './score.js';
export type { RiskContext } from './score.js';
