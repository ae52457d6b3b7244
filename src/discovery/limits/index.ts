/** Learned per-endpoint rate limits (issue 6), and the portcullis.yaml fragment that applies them. */
export { learnLimit, isLearned, confidenceOf, rateUnit, MIN_RATE } from './learn.js';
export type { LearnedLimit, Unlimited, Confidence } from './learn.js';
export { renderLimitsYaml, MAX_LIMITS } from './yaml.js';
export type { LimitsHeader } from './yaml.js';
