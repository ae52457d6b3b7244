/** Renderers and the report model of `portcullis discover`. */
export type { DiscoveredEndpoint, EndpointStatus, Risk, RiskFactor, DriftItem, DeclaredRef } from './model.js';
export { observedEndpoint, orphanEndpoint } from './model.js';
export { renderTable } from './table.js';
export { renderMarkdown } from './markdown.js';
export { printable } from './text.js';
