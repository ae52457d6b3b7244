/** The inventory (issue 6): endpoints from traffic, with auth, data classes, status mix, latency, principals, rates and schemas. */
export { buildInventory, INVENTORY_DEFAULTS } from './build.js';
export type { Inventory, InventoryOptions, InventoryStats, RecordSource } from './build.js';
export type { EndpointInventory } from './endpoint.js';
export { credentialsOf, authOf } from './auth.js';
export type { Credential } from './auth.js';
export { recordDataClasses } from './data-classes.js';
export type { DataField, DataLocation } from './data-classes.js';
export { Histogram, LATENCY_BUCKETS, COUNT_BUCKETS } from './histogram.js';
export type { Quantiles, HistogramOptions } from './histogram.js';
export { DistinctCounter, EXACT_DISTINCT } from './distinct.js';
export { PrincipalRates, RATE_DEFAULTS } from './rates.js';
export type { RateDistribution, RateOptions } from './rates.js';
