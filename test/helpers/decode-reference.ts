/**
 * percentDecode (src/detect/decode.ts) as a regex reads it, the way it was written before it was
 * hand-coded for speed: the specification its tests hold it to.
 */
export function percentDecodeByRegex(s: string): string {
  return s.replace(/%u([0-9a-f]{4})|(?:%[0-9a-f]{2})+/gi, (m, u: string | undefined) => {
    if (u) return String.fromCharCode(parseInt(u, 16));
    try {
      return decodeURIComponent(m);
    } catch {
      return m.replace(/%([0-9a-f]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16)));
    }
  });
}
