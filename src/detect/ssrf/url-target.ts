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
 * Names that mean this machine or its cluster without any lookup: the loopback aliases of
 * /etc/hosts (`localhost4`, `ip6-loopback`…), container-runtime names (`host.docker.internal`),
 * in-cluster service names, and public DNS names that answer 127.0.0.1 by design (`lvh.me`,
 * `localtest.me` and their subdomains), which exist to reach a local server through a "public" name.
 */
const INWARD_NAMES = /^(?:localhost[46]?|ip6-localhost|ip6-loopback|ipv6-localhost|ipv6-loopback|lvh\.me|localtest\.me)$|\.(?:localhost|localdomain[46]?|internal|cluster\.local|lvh\.me|localtest\.me)$/;
/** `host[:port][/path…]` without a scheme: how a fetch target is written when the server adds `http://`. */
const SCHEMELESS = /^([a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,126})\.?(?::(\d{1,5}))?(?:[/?#]\S*)?$/i;

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

/**
 * A value with no scheme whose whole text is `host[:port][/…]` naming an inward host
 * (`localhost/`, `host.docker.internal:2375/`, `kubernetes.default.svc.cluster.local/`):
 * a server that prefixes `http://` fetches inward. Only names that are inward by themselves
 * count, so `images/cat.png` or `notes.txt` stay text, and in free text only with a port or
 * a path (the word `localhost` is prose). In a URL-valued input (`urlValued`) the bare name
 * counts too, and so does an inward IPv4 literal followed by a port or a path
 * (`169.254.169.254/latest/meta-data`), but not a bare address or a CIDR block (`10.0.0.0/8`).
 */
export function schemelessInwardTarget(value: string, urlValued: boolean): UrlTarget | undefined {
  const v = value.trim();
  if (v.length > 2048) return undefined;
  const m = SCHEMELESS.exec(v);
  if (!m) return undefined;
  const host = m[1]!.toLowerCase();
  const path = v.replace(/^[^:/?#]*(?::\d{1,5})?/, '');
  // A bare word (`localhost`, `10.0.0.5`) is a target only where the value is a URL by contract or name.
  const bare = m[2] === undefined && path === '';
  if (INWARD_NAMES.test(host)) {
    if (bare && !urlValued) return undefined;
    return { kind: 'address', address: host, cls: inwardNameClass(host) };
  }
  if (!urlValued || isIP(host) !== 4) return undefined;
  if (m[2] === undefined && (bare || /^\/\d{1,2}$/.test(path))) return undefined;
  const cls = classifyAddress(host);
  return cls === 'public' ? undefined : { kind: 'address', address: host, cls };
}

/**
 * The literal host of `scheme://[userinfo@]host[:port]…` read the way a non-WHATWG client would
 * (curl, ssh, rsync, inet_aton: decimal, octal and hex parts, 1 to 4 of them; an IPv6 zone id;
 * compatibility forms such as enclosed digits folded by NFKC), for the values WHATWG URL does not
 * read as an address: schemes it treats as opaque (`ssh://0177.0.0.1`, `rsync://[::ffff:…]`) and
 * hosts it refuses (`http://7147006462/`, `http://[fe80::1%eth0]`). Undefined when the host is a
 * name that is not inward by itself, or not there. A number too large for IPv4 is `ambiguous`:
 * parsers that truncate it reach its low 32 bits.
 */
export function literalHostTarget(value: string): UrlTarget | undefined {
  const v = value.trim();
  if (!/^[a-z][a-z0-9+.-]{0,31}:\/\//i.test(v)) return undefined;
  const raw = authority(v);
  if (raw === '' || raw.length > 300) return undefined;
  if (raw.includes('\\')) return { kind: 'ambiguous', reason: 'backslash in the authority' };
  let host = raw.slice(raw.lastIndexOf('@') + 1).normalize('NFKC').toLowerCase();
  if (host.startsWith('[')) {
    const inner = host.slice(1, host.indexOf(']') < 0 ? undefined : host.indexOf(']')).replace(/%.*$/, '');
    return isIP(inner) === 6 ? { kind: 'address', address: inner, cls: classifyAddress(inner) } : undefined;
  }
  host = host.replace(/:\d*$/, '').replace(/\.+$/, '');
  const n = inetAton(host);
  // `app://1/2/3`: a small dotless number is an id in an app's own URL scheme, not 0.0.0.1.
  if (n !== undefined && (n >= 0x1000000n || host.includes('.'))) {
    const low = Number(n & 0xffffffffn);
    const address = `${low >>> 24}.${(low >>> 16) & 255}.${(low >>> 8) & 255}.${low & 255}`;
    if (n > 0xffffffffn) return { kind: 'ambiguous', reason: `numeric host beyond IPv4 (truncates to ${address})` };
    return { kind: 'address', address, cls: classifyAddress(address) };
  }
  if (INWARD_NAMES.test(host) || LOCAL_NAMES.test(host)) return { kind: 'address', address: host, cls: inwardNameClass(host) };
  return undefined;
}

/** `a.b.c.d`, `a.b.c`, `a.b`, `a` with decimal, `0`-octal or `0x`-hex parts, as inet_aton reads them (exact, in bigint); undefined otherwise. */
function inetAton(host: string): bigint | undefined {
  const parts = host.split('.');
  if (parts.length > 4 || parts.some((p) => p === '' || p.length > 34)) return undefined;
  const nums: bigint[] = [];
  for (const p of parts) {
    const m = /^(?:0x([0-9a-f]*)|(0[0-7]*)|([1-9]\d*))$/.exec(p);
    if (!m) return undefined;
    nums.push(m[1] !== undefined ? BigInt(`0x${m[1] || '0'}`) : m[2] !== undefined ? BigInt(`0o${m[2]}`) : BigInt(m[3]!));
  }
  const last = nums.pop()!;
  if (nums.some((x) => x > 255n)) return undefined;
  const head = nums.reduce((acc, x) => acc * 256n + x, 0n);
  // The last part fills the bytes the others left: `127.1` is 127.0.0.1, `2852039166` is 169.254.169.254.
  return head * 256n ** BigInt(4 - nums.length) + last;
}

/** Loopback for the names that mean this machine (`localhost`, `ip6-loopback`, `lvh.me`), private for the rest. */
function inwardNameClass(host: string): AddressClass {
  return host.includes('localhost') || host.includes('loopback') || host === 'lvh.me' || host.endsWith('.lvh.me') || host.endsWith('localtest.me') ? 'loopback' : 'private';
}

function authority(v: string): string {
  const m = /^[^:/?#]*:?\/\/([^/?#]*)/.exec(v);
  return m?.[1] ?? '';
}
