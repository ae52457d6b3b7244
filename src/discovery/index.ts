/**
 * Discovery (issue 6), the pure part: path templating with evidence, the segment classifier,
 * schema inference (schema/) and the offline traffic sources (sources/: HAR, access logs,
 * JSON-lines logs), the inventory (inventory/), the spec diff (diff/), risk (risk/), learned
 * limits (limits/), the OpenAPI 3.1 export (export/) and the report model and renderers (report/),
 * tied together by `discover` (pipeline.ts). Sources read streams they are given; nothing here
 * opens a file (the CLI does: src/cli/discover-sources.ts).
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
export { PathTemplater } from './templating.js';
export * from './inventory/index.js';
export * from './export/index.js';
export * from './diff/index.js';
export * from './risk/index.js';
export * from './limits/index.js';
export * from './report/index.js';
export { discover, summarize } from './pipeline.js';
export type { DiscoverOptions, DiscoveryResult, DiscoverySummary } from './pipeline.js';
