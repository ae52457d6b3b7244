import { brotliDecompressSync, gunzipSync, inflateSync, constants } from 'node:zlib';

export type DecodedResponse = { ok: true; body: Buffer; coded: boolean } | { ok: false; reason: string };

/**
 * Remove the content-coding of a buffered upstream response so controls read what the client
 * would. Output is capped (a 1 KiB gzip bomb inflates to gigabytes); stacked or unknown codings
 * are not undone and count as uninspectable.
 */
export function decodeContent(body: Buffer, contentEncoding: string | string[] | undefined, maxBytes: number): DecodedResponse {
  // Nearly every upstream answer is uncoded: no list to split and trim then.
  if (contentEncoding === undefined || contentEncoding === '') return { ok: true, body, coded: false };
  const raw = Array.isArray(contentEncoding) ? contentEncoding.join(',') : contentEncoding;
  const codings = (raw ?? '').split(',').map((c) => c.trim().toLowerCase()).filter((c) => c !== '' && c !== 'identity');
  if (codings.length === 0) return { ok: true, body, coded: false };
  if (codings.length > 1) return { ok: false, reason: 'stacked content-codings' };
  const opts = { maxOutputLength: maxBytes };
  try {
    switch (codings[0]) {
      case 'gzip':
      case 'x-gzip':
        return { ok: true, body: gunzipSync(body, opts), coded: true };
      case 'deflate':
        return { ok: true, body: inflateSync(body, opts), coded: true };
      case 'br':
        return { ok: true, body: brotliDecompressSync(body, { ...opts, params: { [constants.BROTLI_DECODER_PARAM_LARGE_WINDOW]: 0 } }), coded: true };
      default:
        return { ok: false, reason: `unsupported content-coding ${codings[0]!.slice(0, 32)}` };
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    return { ok: false, reason: code === 'ERR_BUFFER_TOO_LARGE' ? 'decoded body too large' : 'corrupt content-coding' };
  }
}
