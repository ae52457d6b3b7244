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

  resolve(peer: string | undefined, xff: string | undefined): { ip: string; chain: string[] } {
    const ip = normalise(peer ?? '0.0.0.0');
    if (!this.any || !xff || !this.isTrusted(ip)) return { ip, chain: [] };
    const hops = xff.split(',').map((s) => normalise(s.trim())).filter((s) => isIP(s) !== 0);
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
