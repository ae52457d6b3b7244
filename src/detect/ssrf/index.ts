export { classifyAddress, type AddressClass } from './addresses.js';
export { DANGEROUS_SCHEMES, literalHostTarget, schemelessInwardTarget, urlTarget, type UrlTarget } from './url-target.js';
export { PinnedResolver, type Lookup, type Resolution, type ResolverOptions } from './resolver.js';
