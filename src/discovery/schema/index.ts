/**
 * Schema inference (issue 6): JSON Schema 2020-12 for an operation's parameters and JSON bodies,
 * from samples, merged incrementally and bounded. Pure; no I/O.
 */
export { SchemaBuilder } from './builder.js';
export type { SchemaBuilderStats } from './builder.js';
export { SCHEMA_DEFAULTS, MAX_VALUE_LENGTH } from './bounds.js';
export type { SchemaOptions } from './bounds.js';
export { JSON_SCHEMA_DIALECT } from './emit.js';
export type { JsonSchema } from './emit.js';
export { stringFormat } from './formats.js';
export type { StringFormat } from './formats.js';
export { coerceParameter } from './coerce.js';
export { valueMayBeShown, sensitiveKey } from './values.js';
export { ParameterSetBuilder, isParameterHeader, MAX_PARAMETERS } from './parameters.js';
export type { InferredParameter, ParameterLocation, ParameterOptions } from './parameters.js';
export { EndpointSchemaBuilder, MAX_STATUSES } from './endpoint.js';
export type { EndpointSample, EndpointSchemas, EndpointOptions, InferredBody } from './endpoint.js';
