/** Request phases run in this order; response phases follow the upstream. */
export const REQUEST_PHASES = ['requestHead', 'route', 'identity', 'access', 'abuse', 'requestBody'] as const;
export const RESPONSE_PHASES = ['responseHead', 'responseBody'] as const;
export type RequestPhase = (typeof REQUEST_PHASES)[number];
export type ResponsePhase = (typeof RESPONSE_PHASES)[number];
export type Phase = RequestPhase | ResponsePhase;

export type Mode = 'off' | 'monitor' | 'block';
export const MODES: readonly Mode[] = ['off', 'monitor', 'block'];
