/**
 * Discovery (issue 6), the pure part: path templating with evidence, the segment classifier,
 * schema inference (schema/) and the offline traffic sources (sources/: HAR, access logs,
 * JSON-lines logs). Sources read streams they are given; nothing here opens a file.
 */
export { classifySegment, isValueKind, SEGMENT_KINDS, MAX_CLASSIFIED_LENGTH } from './classify.js';
export type { SegmentKind } from './classify.js';
export { templatePaths, TEMPLATING_DEFAULTS } from './templating.js';
export type { PathObservation, PathTemplate, TemplateSegment, TemplatingOptions, TemplatingResult } from './templating.js';
export type { ParameterEvidence } from './evidence.js';
export { MAX_SAMPLES, MAX_LITERAL_SIBLINGS } from './evidence.js';
export { singularize } from './singular.js';
export { parameterName } from './naming.js';
export * from './schema/index.js';
export * from './sources/index.js';
