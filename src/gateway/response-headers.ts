/** Response headers that never reach the client: hop-by-hop fields and server banners. */
const DROP = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade',
  'server', 'x-powered-by', 'x-aspnet-version', 'x-aspnetmvc-version', 'x-runtime', 'x-debug-token', 'x-debug-token-link',
]);

/** Added when the upstream did not set them: safe defaults for JSON APIs. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-resource-policy': 'same-origin',
};
const SECURITY_HEADER_LIST = Object.entries(SECURITY_HEADERS);

/**
 * The upstream's headers (lower-case names, as undici parses them) as the flat
 * `[name, value, name, value…]` list `writeHead` accepts: banners and hop-by-hop fields dropped,
 * repeated fields kept apart (Set-Cookie), security headers added where missing. `omit` drops
 * more names (e.g. a Content-Length the gateway recomputes).
 */
export function filterResponseHeaders(headers: Record<string, string | string[] | undefined>, omit?: ReadonlySet<string>, add: ExtraHeaders = NONE): string[] {
  const out: string[] = [];
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || DROP.has(name) || omit?.has(name)) continue;
    if (typeof value === 'string') out.push(name, value);
    else for (const v of value) out.push(name, v);
  }
  for (const [name, value] of SECURITY_HEADER_LIST) if (headers[name] === undefined) out.push(name, value);
  for (const [name, value] of add) if (headers[name] === undefined) out.push(name, value);
  return out;
}

/** Listener-wide headers added where the upstream set none (HSTS on a TLS listener). */
export type ExtraHeaders = readonly (readonly [string, string])[];
const NONE: ExtraHeaders = [];
