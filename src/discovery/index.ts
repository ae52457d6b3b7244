/**
 * Discovery (issue 6), the pure part: path templating with evidence, and the segment classifier
 * that schema inference reuses for formats. No I/O; sources (gateway samples, HAR, access logs)
 * feed `templatePaths` with `{ path, method, count }` observations.
 */
export { classifySegment, isValueKind, SEGMENT_KINDS, MAX_CLASSIFIED_LENGTH } from './classify.js';
export type { SegmentKind } from './classify.js';
export { templatePaths, TEMPLATING_DEFAULTS } from './templating.js';
export type { PathObservation, PathTemplate, TemplateSegment, TemplatingOptions, TemplatingResult } from './templating.js';
export type { ParameterEvidence } from './evidence.js';
export { MAX_SAMPLES, MAX_LITERAL_SIBLINGS } from './evidence.js';
export { singularize } from './singular.js';
export { parameterName } from './naming.js';
