/** Diff of the inventory against a declared spec (issue 6): declared, shadow, zombie, orphan, and drift. */
export { classifyEndpoints } from './diff.js';
export { declaredApi, declaredSegments, serverBasePath } from './declared.js';
export type { DeclaredApi, DeclaredOperation, DeclaredSegment } from './declared.js';
export { matchDeclared } from './match.js';
export type { DeclaredMatch, PathMatch } from './match.js';
export { driftOf, compareSchemas, MAX_DRIFT } from './drift.js';
export { parseVersion, compareVersions, VersionIndex } from './versions.js';
export type { Version } from './versions.js';
