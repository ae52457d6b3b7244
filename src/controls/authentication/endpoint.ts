import { PortcullisError } from '../../errors.js';

/** The remote service (JWKS, token introspection) cannot be used right now: the request gets a 503. */
export class EndpointUnavailableError extends Error {
  override readonly name: string = 'EndpointUnavailableError';
}

/**
 * An identity endpoint URL from the configuration: https only (plain http to loopback only, for
 * tests and sidecars), no credentials in the URL. Keys or token verdicts fetched over plain
 * http could be swapped in transit.
 */
export function checkEndpointUrl(url: string, where: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new PortcullisError('PC_ERR_CONFIG_INVALID', `${where} "${url}" is not a URL`, { where });
  }
  const loopback = u.hostname === 'localhost' || u.hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(u.hostname);
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) {
    throw new PortcullisError('PC_ERR_CONFIG_INVALID', `${where} "${url}" must use https`, { where, hint: 'Answers fetched over plain http can be swapped in transit; http is only allowed to loopback.' });
  }
  if (u.username || u.password) {
    throw new PortcullisError('PC_ERR_CONFIG_INVALID', `${where} must not carry credentials`, { where });
  }
  return u;
}

/** fetch without redirects whose body is read whole up to `maxBytes`; anything larger is a failure. */
export async function cappedFetch(input: string | URL, init: RequestInit, maxBytes: number, make: (msg: string) => Error = (m) => new EndpointUnavailableError(m)): Promise<Response> {
  const res = await fetch(input, { ...init, redirect: 'manual' });
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw make(`the response declares ${declared} bytes, more than ${maxBytes}`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (res.body) {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > maxBytes) throw make(`the response is larger than ${maxBytes} bytes`);
      chunks.push(chunk);
    }
  }
  return new Response(Buffer.concat(chunks), { status: res.status, headers: res.headers });
}
