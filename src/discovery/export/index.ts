/** OpenAPI 3.1 export of the reconstructed API (issue 6). */
export { exportOpenApi } from './openapi.js';
export type { ExportOptions, OpenApiDocument } from './openapi.js';
export { schemeFor, securityOf } from './security.js';
export type { SecuritySchemeObject } from './security.js';
