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

export function filterResponseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || DROP.has(k)) continue;
    out[k] = v;
  }
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) if (out[k] === undefined) out[k] = v;
  return out;
}
