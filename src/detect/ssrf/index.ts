export { classifyAddress, type AddressClass } from './addresses.js';
export { DANGEROUS_SCHEMES, schemelessInwardTarget, urlTarget, type UrlTarget } from './url-target.js';
export { PinnedResolver, type Lookup, type Resolution, type ResolverOptions } from './resolver.js';
