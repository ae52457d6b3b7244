import { BlockList, isIP } from 'node:net';

/**
 * The client address: the socket peer, unless the peer is a configured trusted proxy, in which
 * case X-Forwarded-For is walked right to left past trusted hops. Untrusted peers cannot
 * choose their own address (CATALOGUE D6).
 */
export class ClientIpResolver {
  private readonly trusted = new BlockList();
  private readonly any: boolean;

  constructor(cidrs: readonly string[]) {
    for (const c of cidrs) {
      const [addr, bits] = c.split('/');
      const family = isIP(addr ?? '') === 6 ? 'ipv6' : 'ipv4';
      if (!addr || isIP(addr) === 0) throw new Error(`trustedProxies: "${c}" is not an IP address or CIDR`);
      if (bits === undefined) this.trusted.addAddress(addr, family);
      else this.trusted.addSubnet(addr, Number(bits), family);
    }
    this.any = cidrs.length > 0;
  }

  /**
   * `forwarded` is the RFC 7239 `Forwarded` header; when a trusted peer sends it, its `for=`
   * hops are believed instead of X-Forwarded-For (a proxy that speaks the standard writes both, or
   * only it).
   */
  resolve(peer: string | undefined, xff: string | undefined, forwarded?: string): { ip: string; chain: string[] } {
    const ip = normalise(peer ?? '0.0.0.0');
    const list = forwarded !== undefined ? forwardedFor(forwarded) : xff;
    if (!this.any || !list || !this.isTrusted(ip)) return { ip, chain: [] };
    const hops = list.split(',').map((s) => normalise(s.trim())).filter((s) => isIP(s) !== 0);
    let client = ip;
    const chain: string[] = [];
    while (hops.length > 0 && this.isTrusted(client)) {
      chain.unshift(client);
      client = hops.pop()!;
    }
    return { ip: client, chain: [...hops, ...chain.slice(0, -1)] };
  }

  private isTrusted(ip: string): boolean {
    return this.trusted.check(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4');
  }
}

function normalise(ip: string): string {
  return ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
}

/**
 * The `for=` hops of a `Forwarded` header as a comma list, left to right: quotes, IPv6 brackets
 * and ports removed. `unknown` and obfuscated identifiers (`_hidden`) stay in place as non-addresses,
 * which the walk skips like any malformed hop. Bounded: at most 64 elements are read.
 */
export function forwardedFor(header: string): string {
  const out: string[] = [];
  for (const element of header.split(',').slice(0, 64)) {
    let node = '';
    for (const pair of element.split(';')) {
      const eq = pair.indexOf('=');
      if (eq < 0 || pair.slice(0, eq).trim().toLowerCase() !== 'for') continue;
      node = pair.slice(eq + 1).trim().replace(/^"|"$/g, '');
    }
    // `[2001:db8::17]:4711` → the address inside the brackets; `192.0.2.60:8080` → the address before the port.
    const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(node);
    out.push(bracketed ? bracketed[1]! : isIP(node) ? node : node.replace(/:\d+$/, ''));
  }
  return out.join(',');
}
