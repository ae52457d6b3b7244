import { isIP } from 'node:net';
import { classifyAddress, type AddressClass } from './addresses.js';

/** What a URL-valued input asks a server to fetch. */
export type UrlTarget =
  | { kind: 'not-a-url' }
  /** A URL parsers may read differently (backslashes, controls, userinfo): refused rather than guessed. */
  | { kind: 'ambiguous'; reason: string }
  | { kind: 'scheme'; scheme: string }
  | { kind: 'address'; address: string; cls: AddressClass }
  | { kind: 'name'; host: string };

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]{0,31}):(\/\/)?/;
/** Schemes whose only use in an API input is reaching what the server can reach (file reads, gopher smuggling…). */
export const DANGEROUS_SCHEMES: ReadonlySet<string> = new Set(['file', 'gopher', 'dict', 'ftp', 'ftps', 'sftp', 'tftp', 'ldap', 'ldaps', 'jar', 'netdoc', 'php', 'expect', 'smb', 'phar']);
const LOCAL_NAMES = /(^|\.)(localhost|localdomain|internal|local|intranet|corp|home\.arpa)$/;

/**
 * Read a value as a fetch target the way WHATWG URL does (it canonicalises decimal, octal and
 * hex IPv4 spellings, IDN digits, case and IPv6), after refusing the spellings on which other
 * parsers disagree with it. `schemes` is the allow-list (lower-case, without the colon).
 */
export function urlTarget(value: string, schemes: ReadonlySet<string>): UrlTarget {
  const v = value.trim();
  const m = SCHEME.exec(v);
  if (!v.startsWith('//')) {
    if (!m) return { kind: 'not-a-url' };
    const s = m[1]!.toLowerCase();
    // `C:\Users`, `note: …`, `urn:isbn:…`: only `scheme://`, or a scheme that fetches (`http:host`, `file:/etc`), is a URL.
    if (!m[2] && (s.length === 1 || (!schemes.has(s) && !DANGEROUS_SCHEMES.has(s)))) return { kind: 'not-a-url' };
  }
  if (/[\u0000-\u0020\u007f\\]/.test(v)) return { kind: 'ambiguous', reason: 'backslash, space or control character' };
  let url: URL;
  try {
    url = new URL(v.startsWith('//') ? `http:${v}` : v);
  } catch {
    return { kind: 'not-a-url' };
  }
  const scheme = url.protocol.slice(0, -1).toLowerCase();
  if (!schemes.has(scheme)) return { kind: 'scheme', scheme };
  if (url.username || url.password || authority(v).includes('@')) return { kind: 'ambiguous', reason: 'userinfo in the URL' };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === '') return { kind: 'ambiguous', reason: 'no host' };
  if (isIP(host)) return { kind: 'address', address: host, cls: classifyAddress(host) };
  const name = host.replace(/\.+$/, '');
  if (LOCAL_NAMES.test(name) || !name.includes('.')) return { kind: 'address', address: name, cls: 'private' };
  return { kind: 'name', host: name };
}

function authority(v: string): string {
  const m = /^[^:/?#]*:?\/\/([^/?#]*)/.exec(v);
  return m?.[1] ?? '';
}
