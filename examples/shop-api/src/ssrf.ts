/**
 * Secure-mode outbound fetch for imports (API7, API10): https on port 443 only, every resolved address must be
 * public, the check runs inside the socket's own DNS lookup (so a rebinding answer cannot slip in between
 * check and connect), no redirects, a timeout, a size cap, and the bytes must really be an image.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request, type RequestOptions } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { HttpError } from './http.js';

// Two lists: one BlockList would match IPv4 addresses against the IPv4-mapped IPv6 rule (::ffff:0:0/96).
const NON_PUBLIC_V4 = new BlockList();
const NON_PUBLIC_V6 = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) NON_PUBLIC_V4.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], ['::1', 128], ['::ffff:0:0', 96], ['64:ff9b::', 96], ['100::', 64], ['2001:db8::', 32],
  ['2002::', 16], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8],
] as const) NON_PUBLIC_V6.addSubnet(net, prefix, 'ipv6');

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return family === 4 ? !NON_PUBLIC_V4.check(address, 'ipv4') : !NON_PUBLIC_V6.check(address, 'ipv6');
}

class SsrfError extends Error {}

const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, []);
    if (addresses.length === 0 || addresses.some((a) => !isPublicAddress(a.address))) {
      return callback(new SsrfError(`${hostname} resolves to a non-public address`), []);
    }
    if (options.all === true) return callback(null, addresses);
    return callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};

/** Throws a 400 for any URL that is not an https URL on a public host. */
export function checkImportUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new HttpError(400, 'url is not an absolute URL');
  }
  if (url.protocol !== 'https:') throw new HttpError(400, 'only https URLs may be imported');
  if (url.username !== '' || url.password !== '') throw new HttpError(400, 'credentials in URLs are not allowed');
  if (url.port !== '') throw new HttpError(400, 'only the default https port is allowed');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // Node connects to IP literals without calling `lookup`, so they are judged here.
  if (isIP(host) !== 0 && !isPublicAddress(host)) throw new HttpError(400, 'url points to a non-public address');
  if (host === 'localhost' || host.endsWith('.localhost')) throw new HttpError(400, 'url points to a non-public address');
  return url;
}

const MAX_IMPORT = 1024 * 1024;

export function fetchPublicImage(url: URL): Promise<{ contentType: string; data: Buffer }> {
  const options: RequestOptions = { lookup: guardedLookup, timeout: 5000, agent: false, headers: { accept: 'image/png, image/jpeg' } };
  return new Promise((resolve, reject) => {
    const req = request(url, options, (res) => {
      if (res.statusCode !== 200) { // redirects included: a 3xx to http://127.0.0.1 is not followed
        res.resume();
        return reject(new HttpError(502, `upstream answered ${res.statusCode ?? 'nothing'}`));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_IMPORT) { res.destroy(); reject(new HttpError(502, 'upstream image too large')); } else chunks.push(c);
      });
      res.on('end', () => {
        const data = Buffer.concat(chunks);
        const png = data.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
        const jpeg = data[0] === 0xff && data[1] === 0xd8;
        if (!png && !jpeg) return reject(new HttpError(502, 'upstream did not return a PNG or JPEG image'));
        resolve({ contentType: png ? 'image/png' : 'image/jpeg', data });
      });
      res.on('error', () => reject(new HttpError(502, 'upstream fetch failed')));
    });
    req.on('timeout', () => req.destroy(new HttpError(504, 'upstream timed out')));
    req.on('error', (err) => {
      if (err instanceof HttpError) return reject(err);
      reject(err instanceof SsrfError ? new HttpError(400, err.message) : new HttpError(502, 'upstream fetch failed'));
    });
    req.end();
  });
}
