/**
 * Offline traffic sources (issue 6): HAR files, combined access logs and JSON-lines logs, read
 * into one `TrafficRecord` shape. Logs stream in constant memory; bad input is counted, never thrown.
 */
export type { TrafficRecord, AuthScheme, SourceOptions } from './record.js';
export { SOURCE_DEFAULTS, REDACTED } from './record.js';
export { parseHar, HAR_DEFAULTS } from './har.js';
export type { HarOptions, HarResult, HarStats } from './har.js';
export { readCombinedLog, parseCombinedLine, parseClfTime } from './combined-log.js';
export type { CombinedLogOptions } from './combined-log.js';
export { readJsonLines, parseJsonLine, JSON_LINES_FIELDS } from './json-lines.js';
export type { JsonLinesFields, JsonLinesOptions } from './json-lines.js';
export { readLines, lineSource, MAX_BAD_LINES_LISTED } from './lines.js';
export type { Line, LineInput, LineParser, SourceStats, TrafficSource } from './lines.js';
export { parseQuery, splitTarget } from './query.js';
export { authScheme, isCredentialName, isCredentialCookie, credentialCookieNames, reduceHeaders, redactJson } from './redact.js';
export { principalOf, principalHash } from './principal.js';
export { gatewayRecord, pseudonym } from './gateway.js';
export type { GatewayObservation, GatewaySourceOptions } from './gateway.js';
export { storedTraffic } from './store.js';
export type { StoredTrafficOptions } from './store.js';
