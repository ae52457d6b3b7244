/** RFC 6750 `Authorization: Bearer <token>`: scheme case-insensitive, one or more spaces, exactly one token. */
const BEARER = /^bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

export function parseBearer(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const m = BEARER.exec(header);
  return m?.[1];
}
